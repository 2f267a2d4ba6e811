import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { parse } from 'yaml';

/** What the seed ISO's user-data may hold (the agent protocol's limit on `userData`). */
export const MAX_USER_DATA_BYTES = 256 * 1024;
export const MAX_COMMAND_LENGTH = 4096;
export const MAX_COMMAND_ARGUMENTS = 64;

export const SSH_PUBLIC_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

/**
 * Characters PyYAML (what cloud-init parses user-data with) refuses in a stream, or that the `yaml`
 * emitter writes raw where PyYAML reads a line break (NEL): DEL, C0 and C1 controls, U+FFFE/FFFF and
 * lone surrogates. Tab, LF and CR stay allowed in multi-line text.
 */
const PRINTABLE_MULTILINE = /^(?:[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
const PRINTABLE_LINE = /^(?:[^\x00-\x1F\x7F-\x9F\uD800-\uDFFF\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

export function isPrintableText(value: string, { multiline }: { multiline: boolean }): boolean {
  return (multiline ? PRINTABLE_MULTILINE : PRINTABLE_LINE).test(value);
}

/** A check whose message says what is wrong with the value it saw (the problem, or undefined when fine). */
type Problem = (value: unknown, args: ValidationArguments) => string | undefined;

function Satisfies(name: string, problemOf: Problem, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => problemOf(value, args!) === undefined,
        defaultMessage: (args?: ValidationArguments) => problemOf(args!.value, args!) ?? `${args!.property} is invalid`,
      },
    });
}

export function IsPrintableText({ multiline }: { multiline: boolean }, options?: ValidationOptions): PropertyDecorator {
  return Satisfies(
    'isPrintableText',
    // Non-strings are IsString's to report.
    (value, { property }) =>
      typeof value !== 'string' || isPrintableText(value, { multiline }) ? undefined : `${property} must not contain control characters${multiline ? ' other than tab and line breaks' : ''}`,
    options,
  );
}

// ---- SSH public keys --------------------------------------------------------------------------

const SSH_PUBLIC_KEY_LINE = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: (.*))?$/;
/** The smallest key material after the type name: an ed25519 key's 4-byte length and 32 bytes. */
const MIN_KEY_MATERIAL_BYTES = 36;

/** Why `line` is not an OpenSSH public key we accept, or undefined. */
export function sshPublicKeyProblem(line: string): string | undefined {
  if (/PRIVATE KEY/.test(line)) return 'is a private key: paste the public key (the .pub file) instead, and keep the private one secret';
  const match = SSH_PUBLIC_KEY_LINE.exec(line);
  if (!match || !isPrintableText(line, { multiline: false })) return 'is not an OpenSSH public key line ("<type> <base64 key> [comment]")';
  const [, type, base64] = match;
  if (!(SSH_PUBLIC_KEY_TYPES as readonly string[]).includes(type)) return `has key type "${type}"; accepted: ${SSH_PUBLIC_KEY_TYPES.join(', ')}`;
  // The key blob repeats its type name, length-prefixed: a mangled paste or a relabelled key fails here
  // instead of being written to authorized_keys, where sshd would ignore it without a word.
  const blob = Buffer.from(base64, 'base64');
  const nameLength = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  const blobType = nameLength >= 0 ? blob.subarray(4, 4 + nameLength).toString('latin1') : '';
  if (blobType !== type || blob.length - 4 - nameLength < MIN_KEY_MATERIAL_BYTES) return `does not hold a ${type} key`;
  return undefined;
}

/** Every item an OpenSSH public key (type, base64 blob whose header names the same type, optional comment). */
export function AreSshPublicKeys(options?: ValidationOptions): PropertyDecorator {
  return Satisfies(
    'areSshPublicKeys',
    (value, { property }) => {
      if (!Array.isArray(value)) return `${property} must be an array of OpenSSH public keys`;
      for (const [index, key] of value.entries()) {
        const problem = typeof key === 'string' ? sshPublicKeyProblem(key) : 'must be a string';
        if (problem) return `${property}[${index}] ${problem}`;
      }
      return undefined;
    },
    options,
  );
}

// ---- runcmd -----------------------------------------------------------------------------------

/** Each entry a shell line (string) or an argument vector run without a shell (string[]), as cloud-init's runcmd takes. */
export function AreRunCommands(options?: ValidationOptions): PropertyDecorator {
  return Satisfies(
    'areRunCommands',
    (value, { property }) => {
      if (!Array.isArray(value)) return `${property} must be an array of commands`;
      for (const [index, command] of value.entries()) {
        const problem = runCommandProblem(command);
        if (problem) return `${property}[${index}] ${problem}`;
      }
      return undefined;
    },
    options,
  );
}

function runCommandProblem(command: unknown): string | undefined {
  if (typeof command === 'string') {
    if (command.trim().length === 0 || command.length > MAX_COMMAND_LENGTH) return `must be a command line of 1-${MAX_COMMAND_LENGTH} characters`;
    return isPrintableText(command, { multiline: true }) ? undefined : 'must not contain control characters other than tab and line breaks';
  }
  if (!Array.isArray(command)) return 'must be a command line (string) or an argument list (array of strings)';
  if (command.length === 0 || command.length > MAX_COMMAND_ARGUMENTS) return `must list 1-${MAX_COMMAND_ARGUMENTS} arguments`;
  if (typeof command[0] !== 'string' || command[0].trim().length === 0) return 'must start with the program to run';
  const fine = command.every((argument) => typeof argument === 'string' && argument.length <= MAX_COMMAND_LENGTH && isPrintableText(argument, { multiline: true }));
  return fine ? undefined : `must hold only strings of at most ${MAX_COMMAND_LENGTH} printable characters`;
}

// ---- raw user-data ----------------------------------------------------------------------------

/** Why `userData` is not a user-data document we pass through, or undefined. */
export function userDataProblem(userData: string): string | undefined {
  if (Buffer.byteLength(userData, 'utf8') > MAX_USER_DATA_BYTES) return `userData must be at most ${MAX_USER_DATA_BYTES / 1024} KiB`;
  if (/^#cloud-config[ \t]*\r?(?:\n|$)/.test(userData)) return cloudConfigProblem(userData);
  if (userData.startsWith('#!')) return userData.includes('\0') ? 'userData must not contain NUL characters' : undefined;
  return 'userData must start with "#cloud-config" (a cloud-config document) or "#!" (a script)';
}

function cloudConfigProblem(userData: string): string | undefined {
  if (!isPrintableText(userData, { multiline: true })) return 'userData must not contain control characters other than tab and line breaks';
  let document: unknown;
  try {
    // YAML 1.1 and repeated keys allowed, as cloud-init's PyYAML reads it.
    document = parse(userData, { version: '1.1', uniqueKeys: false, logLevel: 'error' });
  } catch (error) {
    return `userData is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  const isMapping = typeof document === 'object' && document !== null && !Array.isArray(document);
  return isMapping ? undefined : 'userData after "#cloud-config" must be a YAML mapping of cloud-init modules';
}

export function IsUserData(options?: ValidationOptions): PropertyDecorator {
  return Satisfies('isUserData', (value) => (typeof value === 'string' ? userDataProblem(value) : 'userData must be a string'), options);
}

/** The property (raw user-data) stands alone: none of `structuredFields` may come with it. */
export function ExcludesFields(structuredFields: readonly string[], options?: ValidationOptions): PropertyDecorator {
  return Satisfies(
    'excludesFields',
    (_value, { object, property }) => {
      const present = structuredFields.filter((field) => (object as Record<string, unknown>)[field] != null);
      if (present.length === 0) return undefined;
      return `${property} cannot be combined with ${present.join(', ')}: send either raw ${property} or the structured fields, not both`;
    },
    options,
  );
}
