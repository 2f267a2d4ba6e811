import { HttpStatus } from '@nestjs/common';
import { Document } from 'yaml';
import { AppException } from '../../common/errors/app-exception';
import { ActionParams } from '../../contracts/agent-protocol';
import { ErrorCode } from '../../contracts/error-code';
import { CloudInitDto, RunCommand } from './cloud-init.dto';
import { MAX_USER_DATA_BYTES } from './cloud-init.validators';
import { hashPassword } from '../../contracts/sha512-crypt';

/** The NoCloud seed files the agent writes to the CIDATA ISO. */
export type CloudInitSeed = NonNullable<ActionParams<'vm.create'>['cloudInit']>;

export interface StoredCloudInitUser {
  name: string;
  /** SHA-512 crypt; the plaintext is dropped on arrival. */
  passwordHash?: string;
  sshAuthorizedKeys?: string[];
  sudo?: boolean;
}

export interface StoredWriteFile {
  path: string;
  content: string;
  permissions?: string;
  owner?: string;
}

export interface StructuredCloudInit {
  hostname?: string;
  users?: StoredCloudInitUser[];
  packages?: string[];
  runcmd?: RunCommand[];
  writeFiles?: StoredWriteFile[];
}

export interface RawCloudInit {
  userData: string;
}

/** A VM's cloud-init as its record keeps it: what the request asked for, passwords hashed. */
export type StoredCloudInit = StructuredCloudInit | RawCloudInit;

export interface SeedRequest {
  /** cloud-init configures a machine once per instance id: a clone needs its own. */
  instanceId: string;
  /** Used when the stored cloud-init names no hostname (see hostnameFromVmName). */
  hostname: string;
  cloudInit?: StoredCloudInit;
  /** The image's default account (ubuntu, debian, rocky…): the name cloud-init gives its `default` user. */
  defaultUser?: string;
}

const SUDO_WITHOUT_PASSWORD = 'ALL=(ALL) NOPASSWD:ALL';
const LOGIN_SHELL = '/bin/bash';
const KERNEL_CONSOLE_ARGS = 'console=tty0 console=ttyS0,115200n8';

// The web console is the VM's COM1, which Linux names ttyS0 on Hyper-V generation 1 and 2 alike.
// A login prompt there needs a getty, started at every boot without waiting for cloud-init to finish
// (--no-block: boot ordering would otherwise deadlock); kernel and GRUB output there need the kernel
// command line, which Debian and Ubuntu build from /etc/default/grub.d and Rocky keeps in BLS entries
// that grubby edits. The command line takes effect from the second boot; the cloud images of all three
// already print to ttyS0 on the first.
const SERIAL_GETTY_COMMAND = ['systemctl', 'enable', '--now', '--no-block', 'serial-getty@ttyS0.service'];
const SERIAL_GRUB_SETTINGS: StoredWriteFile = {
  path: '/etc/default/grub.d/90-openhvx-serial-console.cfg',
  permissions: '0644',
  content: [
    '# Written by OpenHVX: kernel messages and the boot menu on COM1 (ttyS0), which the web console shows.',
    `GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX ${KERNEL_CONSOLE_ARGS}"`,
    'GRUB_TERMINAL="console serial"',
    'GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"',
    '',
  ].join('\n'),
};
const KERNEL_CONSOLE_COMMAND =
  `if command -v grubby >/dev/null 2>&1; then grubby --update-kernel=ALL --args='${KERNEL_CONSOLE_ARGS}'; ` +
  'elif command -v update-grub >/dev/null 2>&1; then update-grub; fi';

export function isRawCloudInit(cloudInit: StoredCloudInit): cloudInit is RawCloudInit {
  return typeof (cloudInit as Partial<RawCloudInit>).userData === 'string';
}

/**
 * The form a VM record keeps: each `password` replaced by its SHA-512 crypt hash, nothing else changed.
 * Call it as the request arrives. Throws 400 VALIDATION_FAILED when the configuration would not fit in
 * a seed, so an oversized request fails before anything is stored.
 */
export function hashCloudInitPasswords(input: CloudInitDto): StoredCloudInit {
  if (typeof input.userData === 'string') return { userData: input.userData };
  const stored = withoutEmpty<StructuredCloudInit>({
    hostname: input.hostname,
    users: input.users?.map((user) =>
      withoutEmpty<StoredCloudInitUser>({
        name: user.name,
        passwordHash: typeof user.password === 'string' ? hashPassword(user.password) : undefined,
        sshAuthorizedKeys: user.sshAuthorizedKeys ? [...user.sshAuthorizedKeys] : undefined,
        sudo: user.sudo ?? undefined,
      }),
    ),
    packages: input.packages ? [...input.packages] : undefined,
    runcmd: input.runcmd?.map((command) => (Array.isArray(command) ? [...command] : command)),
    writeFiles: input.writeFiles?.map(({ path, content, permissions, owner }) => withoutEmpty<StoredWriteFile>({ path, content, permissions, owner })),
  });
  // The longest names the seed could later be rendered with: a 63-character hostname label and a 32-character default user.
  renderCloudInitSeed({ instanceId: 'size-check', hostname: 'h'.repeat(63), cloudInit: stored, defaultUser: 'u'.repeat(32) });
  return stored;
}

/** The NoCloud seed: meta-data, and user-data rendered from the structured form (or the raw user-data unchanged). */
export function renderCloudInitSeed({ instanceId, hostname, cloudInit, defaultUser }: SeedRequest): CloudInitSeed {
  const structured = cloudInit && !isRawCloudInit(cloudInit) ? cloudInit : {};
  const fqdn = structured.hostname ?? hostname;
  const metaData = yamlText({ 'instance-id': instanceId, 'local-hostname': fqdn });
  const userData = cloudInit && isRawCloudInit(cloudInit) ? cloudInit.userData : cloudConfigText(cloudConfigFor(fqdn, structured, defaultUser));
  const bytes = Buffer.byteLength(userData, 'utf8');
  if (bytes > MAX_USER_DATA_BYTES) {
    const message = `cloudInit renders to ${Math.ceil(bytes / 1024)} KiB of user-data; a seed holds at most ${MAX_USER_DATA_BYTES / 1024} KiB`;
    throw new AppException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Validation failed: cloudInit: ${message}`, [{ field: 'cloudInit', errors: [message] }]);
  }
  return { metaData, userData };
}

/**
 * A host name label (RFC 1123) for a VM whose cloud-init names none. VM names are free text
 * ("Web server #1", "Ünïcode") and hostnames are not: accents are dropped, anything else outside
 * [a-z0-9] becomes a dash.
 */
export function hostnameFromVmName(vmName: string, fallback = 'vm'): string {
  const label = vmName
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || fallback;
}

function cloudConfigFor(fqdn: string, config: StructuredCloudInit, defaultUser?: string): Record<string, unknown> {
  const users = config.users ?? [];
  // A user named like the image's default account configures that account rather than a second one.
  const configuredDefault = users.find((user) => user.name === defaultUser);
  const otherUsers = users.filter((user) => user.name !== defaultUser);
  const withPasswords = users.filter((user) => user.passwordHash);
  const packages = config.packages ?? [];

  return withoutEmpty({
    hostname: fqdn.split('.')[0],
    fqdn: fqdn.includes('.') ? fqdn : undefined,
    preserve_hostname: false,
    manage_etc_hosts: true,
    // `user` overrides the distribution's default_user (merged with its groups and sudo rule); `default` keeps it in `users`.
    user: defaultUser === undefined ? undefined : configuredDefault ? accountFor(configuredDefault) : { name: defaultUser },
    users: otherUsers.length > 0 ? ['default', ...otherUsers.map(accountFor)] : undefined,
    // users[].passwd only applies to accounts cloud-init creates; chpasswd also reaches existing ones (root, image accounts).
    // expire: false, or the first console login would demand a new password.
    chpasswd:
      withPasswords.length > 0 ? { expire: false, users: withPasswords.map(({ name, passwordHash }) => ({ name, password: passwordHash, type: 'hash' })) } : undefined,
    ssh_pwauth: withPasswords.length > 0 ? true : undefined,
    package_update: packages.length > 0 ? true : undefined,
    packages: packages.length > 0 ? packages : undefined,
    write_files: [SERIAL_GRUB_SETTINGS, ...(config.writeFiles ?? [])].map(writeFileFor),
    bootcmd: [SERIAL_GETTY_COMMAND],
    runcmd: [KERNEL_CONSOLE_COMMAND, ...(config.runcmd ?? [])],
  });
}

function accountFor(user: StoredCloudInitUser): Record<string, unknown> {
  return withoutEmpty({
    name: user.name,
    shell: LOGIN_SHELL,
    passwd: user.passwordHash,
    lock_passwd: user.passwordHash ? false : undefined,
    ssh_authorized_keys: user.sshAuthorizedKeys?.length ? user.sshAuthorizedKeys : undefined,
    sudo: user.sudo ? SUDO_WITHOUT_PASSWORD : undefined,
  });
}

function writeFileFor(file: StoredWriteFile): Record<string, unknown> {
  const ownedByAccount = file.owner !== undefined && !/^root(?::root)?$/.test(file.owner);
  return withoutEmpty({
    path: file.path,
    content: file.content,
    permissions: file.permissions?.padStart(4, '0'),
    owner: file.owner,
    // write_files runs before users are created; a file owned by one of them has to wait for the final stage.
    defer: ownedByAccount ? true : undefined,
  });
}

/** YAML 1.1, as PyYAML (cloud-init) reads it: values such as "yes", "0644" or "12:30" stay strings. */
function yamlDocument(value: unknown): Document {
  return new Document(value, { version: '1.1', aliasDuplicateObjects: false });
}

function yamlText(value: unknown): string {
  return yamlDocument(value).toString({ lineWidth: 0, directives: false });
}

function cloudConfigText(config: Record<string, unknown>): string {
  const document = yamlDocument(config);
  // cloud-init recognises a cloud-config document by this first line.
  document.commentBefore = 'cloud-config';
  return document.toString({ lineWidth: 0, directives: false });
}

/** Leaves out undefined and null members, so stored records and YAML hold only what was set. */
function withoutEmpty<T extends object>(value: { [K in keyof T]?: T[K] | null }): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined && member !== null)) as T;
}
