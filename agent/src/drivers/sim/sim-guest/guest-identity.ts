import { createHash, timingSafeEqual } from 'node:crypto';
import { parse } from 'yaml';
import { verifyPassword } from '../../../../../src/contracts/sha512-crypt';
import { CloudInitSeed } from '../../../cloud-init/nocloud-seed-iso';
import { GuestFlavour } from './guest-flavour';

/** A password as /etc/shadow would hold it once cloud-init ran: a crypt hash, or the plain text it was given. */
export type GuestPassword = { readonly hash: string } | { readonly plain: string };

export interface GuestAccount {
  readonly name: string;
  readonly uid: number;
  readonly home: string;
  /** Null: no password login on the console (locked, never set, or random and never shown). */
  readonly password: GuestPassword | null;
  readonly sudo: boolean;
}

/** Who the guest is once cloud-init applied its seed: the names it answers to and the accounts it lets in. */
export interface GuestIdentity {
  /** Short hostname, as `hostname` and the prompts show it. */
  readonly hostname: string;
  readonly fqdn: string;
  readonly accounts: ReadonlyMap<string, GuestAccount>;
}

type Config = Record<string, unknown>;

/** An account while the seed is applied; `password` is null when locked. */
interface Draft {
  name: string;
  password: GuestPassword | null;
  locked: boolean;
  sudo: boolean;
}

const FIRST_UID = 1000;
/** The regex cloud-init's set_passwords module tells a hash from a plain password by. */
const CRYPT_HASH = /^\$(1|2a|2y|5|6)(\$.+){2}$/;

/**
 * Reads the NoCloud seed as cloud-init would: the hostname from user-data `fqdn`/`hostname` or meta-data
 * `local-hostname` (the VM name without a seed), and the accounts from the users-groups and set-passwords
 * modules: `user`, `users` (with `default`), `passwd`/`hashed_passwd`/`plain_text_passwd`, `lock_passwd`
 * (true unless set false), `chpasswd.users`/`chpasswd.list` and top-level `password` for the default user.
 * User-data that is not a `#cloud-config` document (a script) creates no password.
 */
export function guestIdentity(seed: CloudInitSeed | undefined, vmName: string, flavour: GuestFlavour): GuestIdentity {
  const meta = seed ? yamlObject(seed.metaData) : {};
  const config = seed && isCloudConfig(seed.userData) ? yamlObject(seed.userData) : {};
  const { hostname, fqdn } = hostnames(config, meta, vmName);
  return { hostname, fqdn, accounts: accounts(config, flavour) };
}

/** Whether `attempt` is the account's password. Unverifiable hashes (yescrypt, MD5…) never match. */
export function passwordMatches(account: GuestAccount, attempt: string): boolean {
  const password = account.password;
  if (password === null) return false;
  if ('hash' in password) return verifyPassword(attempt, password.hash);
  // Compared as digests so the time taken says nothing about how much of the password was right.
  return timingSafeEqual(sha256(attempt), sha256(password.plain));
}

function hostnames(config: Config, meta: Config, vmName: string): { hostname: string; fqdn: string } {
  const fqdn = text(config.fqdn) ?? text(config.hostname) ?? text(meta['local-hostname']) ?? hostnameFromVmName(vmName);
  const hostname = text(config.hostname)?.split('.')[0] ?? fqdn.split('.')[0];
  return { hostname: hostname || 'localhost', fqdn };
}

/** What a VM name becomes as a hostname label: accents dropped, anything but [a-z0-9] a dash. */
function hostnameFromVmName(vmName: string): string {
  const label = vmName
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'localhost';
}

function accounts(config: Config, flavour: GuestFlavour): Map<string, GuestAccount> {
  const drafts = new Map<string, Draft>();
  drafts.set('root', { name: 'root', password: null, locked: true, sudo: true });
  const defaultName = defaultUserName(config, flavour);

  for (const entry of userEntries(config)) {
    if (entry === 'default') {
      if (defaultName !== null) applyUser(drafts, defaultUserConfig(config, defaultName));
    } else {
      applyUser(drafts, entry);
    }
  }
  applyChpasswd(drafts, config, defaultName);

  const result = new Map<string, GuestAccount>();
  let uid = FIRST_UID;
  for (const draft of drafts.values()) {
    const root = draft.name === 'root';
    result.set(draft.name, {
      name: draft.name,
      uid: root ? 0 : uid++,
      home: root ? '/root' : `/home/${draft.name}`,
      password: draft.locked ? null : draft.password,
      sudo: draft.sudo,
    });
  }
  return result;
}

function defaultUserName(config: Config, flavour: GuestFlavour): string | null {
  const user = config.user;
  if (typeof user === 'string' && user.trim()) return user.trim();
  if (isObject(user) && text(user.name)) return text(user.name) ?? null;
  const systemInfo = config.system_info;
  const configured = isObject(systemInfo) && isObject(systemInfo.default_user) ? text(systemInfo.default_user.name) : undefined;
  return configured ?? flavour.defaultUser;
}

/** The distribution's default user (sudo, locked) with what top-level `user` overrides. */
function defaultUserConfig(config: Config, name: string): Config {
  const override = isObject(config.user) ? config.user : {};
  return { sudo: 'ALL=(ALL) NOPASSWD:ALL', lock_passwd: true, ...override, name };
}

/** `users` as cloud-init normalises it; cloud.cfg's `[default]` when absent, and `user` always brings the default user. */
function userEntries(config: Config): ('default' | Config)[] {
  const raw = config.users;
  const list: unknown[] = raw === undefined || raw === null ? ['default'] : Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  const entries: ('default' | Config)[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      const name = item.trim();
      if (name) entries.push(name === 'default' ? 'default' : { name });
    } else if (isObject(item) && text(item.name)) {
      entries.push(item);
    }
  }
  if (config.user !== undefined && config.user !== null && !entries.includes('default')) entries.unshift('default');
  return entries;
}

/** The users-groups module: creates (or, for one that exists, updates) the account, then locks it unless told not to. */
function applyUser(drafts: Map<string, Draft>, user: Config): void {
  const name = text(user.name);
  if (name === undefined) return;
  const draft = drafts.get(name) ?? { name, password: null, locked: true, sudo: false };
  // The order cloud-init applies them in: useradd --password, then the plain text, then the hash.
  const passwd = text(user.passwd);
  if (passwd !== undefined) draft.password = { hash: passwd };
  const plain = text(user.plain_text_passwd);
  if (plain !== undefined) draft.password = { plain };
  const hashed = text(user.hashed_passwd);
  if (hashed !== undefined) draft.password = { hash: hashed };
  draft.locked = user.lock_passwd !== false && user.lock_passwd !== 'false';
  if ('sudo' in user) draft.sudo = user.sudo !== false && user.sudo !== null && user.sudo !== 'false';
  if (inAdminGroup(user.groups)) draft.sudo = true;
  drafts.set(name, draft);
}

function inAdminGroup(groups: unknown): boolean {
  const names = Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.split(',') : [];
  return names.some((group) => typeof group === 'string' && ['sudo', 'wheel', 'admin'].includes(group.trim()));
}

/** The set-passwords module: chpasswd reaches existing accounts only, and replaces a locked password. */
function applyChpasswd(drafts: Map<string, Draft>, config: Config, defaultName: string | null): void {
  const chpasswd = isObject(config.chpasswd) ? config.chpasswd : {};
  const changes: [string, GuestPassword | null][] = [];
  if (Array.isArray(chpasswd.users)) {
    for (const user of chpasswd.users) {
      if (!isObject(user) || text(user.name) === undefined) continue;
      const type = text(user.type);
      const password = text(user.password);
      if (type === 'RANDOM' || password === undefined) changes.push([text(user.name)!, null]);
      else if (type === 'text') changes.push([text(user.name)!, { plain: password }]);
      else if (type === 'hash' || CRYPT_HASH.test(password)) changes.push([text(user.name)!, { hash: password }]);
      else changes.push([text(user.name)!, { plain: password }]);
    }
  }
  const list = Array.isArray(chpasswd.list) ? chpasswd.list : typeof chpasswd.list === 'string' ? chpasswd.list.split('\n') : [];
  for (const line of list) {
    if (typeof line !== 'string' || !line.includes(':')) continue;
    const at = line.indexOf(':');
    const [name, password] = [line.slice(0, at).trim(), line.slice(at + 1)];
    if (password === 'R' || password === 'RANDOM') changes.push([name, null]);
    else changes.push([name, CRYPT_HASH.test(password) && !password.includes(':') ? { hash: password } : { plain: password }]);
  }
  const password = text(config.password);
  if (changes.length === 0 && password !== undefined && defaultName !== null) {
    changes.push([defaultName, password === 'R' || password === 'RANDOM' ? null : { plain: password }]);
  }

  for (const [name, change] of changes) {
    const draft = drafts.get(name);
    if (!draft) continue;
    draft.password = change;
    draft.locked = change === null;
  }
}

/** cloud-init reads user-data as cloud-config only when its first line says so; anything else is a script or an archive. */
function isCloudConfig(userData: string): boolean {
  return userData.replace(/^\uFEFF/, '').startsWith('#cloud-config');
}

/** YAML 1.1 as PyYAML reads it; anything that is not a mapping (or does not parse) counts as empty, as cloud-init treats it. */
function yamlObject(source: string): Config {
  try {
    const value: unknown = parse(source, { version: '1.1', uniqueKeys: false, logLevel: 'silent' });
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

function isObject(value: unknown): value is Config {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar as text: PyYAML gives `password: 1234` as a number, which cloud-init turns back into a string. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
