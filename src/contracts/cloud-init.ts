/** A shell line, or an argument vector cloud-init runs without a shell. */
export type RunCommand = string | string[];

/** An account cloud-init creates besides the image's default user. */
export interface CloudInitUser {
  /** Linux account name. */
  name: string;
  /** For the serial console (and SSH); hashed on arrival, never stored, logged or returned. */
  password?: string;
  /** OpenSSH public keys, one per item, as in authorized_keys. */
  sshAuthorizedKeys?: string[];
  /** Passwordless sudo. */
  sudo?: boolean;
}

export interface CloudInitWriteFile {
  /** Absolute path in the guest. */
  path: string;
  content: string;
  /** Octal mode as a string, e.g. `'0644'`. */
  permissions?: string;
  /** `user` or `user:group`. */
  owner?: string;
}

/** Guest configuration applied on first boot: the structured fields, or raw `userData` alone. */
export interface CloudInitInput {
  hostname?: string;
  users?: CloudInitUser[];
  packages?: string[];
  runcmd?: RunCommand[];
  writeFiles?: CloudInitWriteFile[];
  /** A complete `#cloud-config` document or `#!` script; excludes every other field. */
  userData?: string;
}
