import { GuestFlavour } from './guest-flavour';
import { GuestAccount, GuestIdentity } from './guest-identity';
import { GuestNic, ipAddr, ipRoute } from './guest-network';

/** What a command can see of the machine and the shell it runs in. */
export interface ShellContext {
  /** Who the shell runs as (root after `sudo -i`). */
  readonly user: GuestAccount;
  readonly identity: GuestIdentity;
  readonly flavour: GuestFlavour;
  readonly nics: readonly GuestNic[];
  readonly uptimeSeconds: number;
  /** Wall-clock time, epoch ms. */
  readonly now: number;
  /** Whether cloud-init found a NoCloud seed. */
  readonly seeded: boolean;
}

/** What a command does beyond printing. */
export type ShellEffect =
  | { kind: 'logout' }
  | { kind: 'halt'; halt: 'poweroff' | 'reboot' }
  | { kind: 'root-shell' }
  /** Prints `line` over and over until interrupted (^C), as fast as the serial line takes it. */
  | { kind: 'repeat'; line: string };

export interface CommandResult {
  /** Printed as is: lines end in CR LF, like everything on a serial tty. */
  readonly output: string;
  readonly effect?: ShellEffect;
}

type Command = (args: string[], context: ShellContext) => CommandResult;

const NOTHING: CommandResult = { output: '' };

function lines(...text: string[]): string {
  return text.map((line) => `${line}\r\n`).join('');
}

function print(...text: string[]): CommandResult {
  return { output: lines(...text) };
}

/** The prompt of Debian's and Ubuntu's default bashrc (without colour: a serial tty's TERM is vt220). */
export function shellPrompt(user: GuestAccount, hostname: string): string {
  return `${user.name}@${hostname}:~${user.uid === 0 ? '#' : '$'} `;
}

/** Runs one command line as bash would answer it; unknown commands get bash's `<cmd>: command not found`. */
export function runCommand(line: string, context: ShellContext): CommandResult {
  const [name, ...args] = words(line);
  if (name === undefined) return NOTHING;
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  return command ? command(args, context) : print(`${name}: command not found`);
}

const COMMANDS: Record<string, Command> = {
  hostname: (args, { identity, nics }) => {
    if (args.includes('-f') || args.includes('--fqdn') || args.includes('--long')) return print(identity.fqdn);
    if (args.includes('-I') || args.includes('--all-ip-addresses')) return print(`${addresses(nics).join(' ')} `);
    if (args.includes('-i') || args.includes('--ip-address')) return print(addresses(nics)[0] ?? '127.0.1.1');
    if (args.length > 0 && !args.every((arg) => arg === '-s' || arg === '--short')) return print('hostname: you must be root to change the host name');
    return print(identity.hostname);
  },
  whoami: (_args, { user }) => print(user.name),
  id: (_args, { user, flavour }) => {
    const own = `${user.uid}(${user.name})`;
    const groups = user.sudo && user.uid !== 0 ? `${own},${flavour.sudoGroup.gid}(${flavour.sudoGroup.name})` : own;
    return print(`uid=${own} gid=${own} groups=${groups}`);
  },
  uname,
  ip,
  'cloud-init': cloudInit,
  uptime,
  echo: (args) => print(args.join(' ')),
  yes: (args) => ({ output: '', effect: { kind: 'repeat', line: `${args.length === 0 ? 'y' : args.join(' ')}\r\n` } }),
  pwd: (_args, { user }) => print(user.home),
  cd: (args, { user }) => (args.length === 0 || args[0] === '~' || args[0] === user.home ? NOTHING : print(`-bash: cd: ${args[0]}: No such file or directory`)),
  clear: () => ({ output: '\x1b[H\x1b[2J\x1b[3J' }),
  true: () => NOTHING,
  false: () => NOTHING,
  exit: () => ({ output: lines('logout'), effect: { kind: 'logout' } }),
  logout: () => ({ output: lines('logout'), effect: { kind: 'logout' } }),
  poweroff: () => ({ output: '', effect: { kind: 'halt', halt: 'poweroff' } }),
  halt: () => ({ output: '', effect: { kind: 'halt', halt: 'poweroff' } }),
  reboot: () => ({ output: '', effect: { kind: 'halt', halt: 'reboot' } }),
  shutdown: (args) => ({ output: '', effect: { kind: 'halt', halt: args.some((arg) => /^-\w*r/.test(arg) || arg === '--reboot') ? 'reboot' : 'poweroff' } }),
  systemctl: (args) => {
    if (args[0] === 'poweroff' || args[0] === 'halt') return { output: '', effect: { kind: 'halt', halt: 'poweroff' } };
    if (args[0] === 'reboot') return { output: '', effect: { kind: 'halt', halt: 'reboot' } };
    return print(args.length === 0 ? 'systemctl: the simulated guest only knows poweroff and reboot' : `Unknown command verb '${args[0]}'.`);
  },
  sudo,
};

/** sudo as the distributions configure it for their default user: NOPASSWD for sudoers, a refusal for the rest. */
function sudo(args: string[], context: ShellContext): CommandResult {
  if (args.length === 0) return print('usage: sudo -h | -K | -k | -V', 'usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]');
  if (!context.user.sudo) return print(`${context.user.name} is not in the sudoers file.`);
  const root = context.identity.accounts.get('root');
  if (!root) return print('sudo: unknown user root');
  const [first, ...rest] = args;
  if (first === '-i' || first === '-s' || first === 'bash' || (first === 'su' && (rest.length === 0 || rest[0] === '-'))) return { output: '', effect: { kind: 'root-shell' } };
  return runCommand(args.join(' '), { ...context, user: root });
}

function uname(args: string[], { identity, flavour }: ShellContext): CommandResult {
  const fields = {
    s: 'Linux',
    n: identity.hostname,
    r: flavour.kernelRelease,
    v: flavour.kernelVersion,
    m: 'x86_64',
    p: flavour.unameNamesProcessor ? 'x86_64' : 'unknown',
    i: flavour.unameNamesProcessor ? 'x86_64' : 'unknown',
    o: 'GNU/Linux',
  };
  const order = ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'] as const;
  const wanted = new Set<string>();
  for (const arg of args) {
    if (arg === '--all' || arg === '-a') {
      for (const key of order) if (!((key === 'p' || key === 'i') && fields[key] === 'unknown')) wanted.add(key);
      continue;
    }
    if (!/^-[snrvmpio]+$/.test(arg)) return print(`uname: invalid option -- '${arg.replace(/^-+/, '')}'`, "Try 'uname --help' for more information.");
    for (const key of arg.slice(1)) wanted.add(key);
  }
  if (wanted.size === 0) wanted.add('s');
  return print(order.filter((key) => wanted.has(key)).map((key) => fields[key]).join(' '));
}

function ip(args: string[], { nics, uptimeSeconds }: ShellContext): CommandResult {
  const object = args.find((arg) => !arg.startsWith('-'));
  if (object !== undefined && 'address'.startsWith(object) && object.length >= 1 && object !== 'r') return print(...ipAddr(nics, uptimeSeconds));
  if (object !== undefined && 'route'.startsWith(object)) return print(...ipRoute(nics));
  if (object === undefined) return print('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }', 'where  OBJECT := { address | route | link | neigh | rule | ... }');
  return print(`Object "${object}" is unknown, try "ip help".`);
}

function cloudInit(args: string[], { flavour, seeded, now, uptimeSeconds }: ShellContext): CommandResult {
  if (args[0] === '--version') return print(`/usr/bin/cloud-init ${flavour.cloudInitVersion}`);
  if (args[0] !== 'status') {
    return print(
      'usage: /usr/bin/cloud-init [-h] [--version] [--debug] [--force] [--all-stages] {init,modules,single,query,features,analyze,devel,collect-logs,clean,status,schema} ...',
      `/usr/bin/cloud-init: error: ${args.length === 0 ? 'the following arguments are required: subcommand' : `argument subcommand: invalid choice: '${args[0]}'`}`,
    );
  }
  if (!args.includes('--long')) return print('status: done');
  const finished = new Date(now - (uptimeSeconds - 9) * 1000).toUTCString().replace('GMT', '+0000');
  return print(
    'status: done',
    'extended_status: done',
    'boot_status_code: enabled-by-generator',
    `last_update: ${finished}`,
    `detail: ${seeded ? 'DataSourceNoCloud [seed=/dev/sr0][dsmode=net]' : 'DataSourceNone'}`,
    'errors: []',
    'recoverable_errors: {}',
  );
}

function uptime(args: string[], { now, uptimeSeconds }: ShellContext): CommandResult {
  const days = Math.floor(uptimeSeconds / 86_400);
  const hours = Math.floor((uptimeSeconds % 86_400) / 3_600);
  const minutes = Math.floor((uptimeSeconds % 3_600) / 60);
  if (args.includes('-p') || args.includes('--pretty')) {
    const parts = [plural(days, 'day'), plural(hours, 'hour'), plural(minutes, 'minute')].filter((part, index) => part !== null || (index === 2 && days + hours === 0));
    return print(`up ${parts.map((part) => part ?? '0 minutes').join(', ')}`);
  }
  if (args.includes('-s') || args.includes('--since')) {
    return print(new Date(now - uptimeSeconds * 1000).toISOString().slice(0, 19).replace('T', ' '));
  }
  const clock = new Date(now).toISOString().slice(11, 19);
  const time = hours > 0 ? `${String(hours).padStart(2)}:${String(minutes).padStart(2, '0')}` : `${minutes} min`;
  const up = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${time}` : time;
  return print(` ${clock} up ${up},  1 user,  load average: 0.08, 0.03, 0.01`);
}

function plural(count: number, unit: string): string | null {
  return count === 0 ? null : `${count} ${unit}${count === 1 ? '' : 's'}`;
}

function addresses(nics: readonly GuestNic[]): string[] {
  return nics.flatMap((nic) => (nic.ip === null ? [] : [nic.ip]));
}

/** Splits a command line into words as bash would for simple commands: blanks separate, quotes group, backslash escapes. */
export function words(line: string): string[] {
  const result: string[] = [];
  let current: string | null = null;
  let quote: "'" | '"' | null = null;
  for (let at = 0; at < line.length; at++) {
    const char = line[at];
    if (quote) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && at + 1 < line.length) current += line[++at];
      else current += char;
      continue;
    }
    if (char === ' ' || char === '\t') {
      if (current !== null) result.push(current);
      current = null;
      continue;
    }
    current ??= '';
    if (char === "'" || char === '"') quote = char;
    else if (char === '\\' && at + 1 < line.length) current += line[++at];
    else current += char;
  }
  if (current !== null) result.push(current);
  return result;
}
