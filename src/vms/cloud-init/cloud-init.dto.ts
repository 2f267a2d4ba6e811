import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  AreRunCommands,
  AreSshPublicKeys,
  ExcludesFields,
  IsPrintableText,
  IsUserData,
  MAX_COMMAND_ARGUMENTS,
  MAX_COMMAND_LENGTH,
  MAX_USER_DATA_BYTES,
  SSH_PUBLIC_KEY_TYPES,
} from './cloud-init.validators';
import type { CloudInitInput, CloudInitUser, CloudInitWriteFile, RunCommand } from '../../contracts/cloud-init';

export type { RunCommand } from '../../contracts/cloud-init';

export const CLOUD_INIT_LIMITS = {
  users: 20,
  sshKeysPerUser: 32,
  sshKeyLength: 8192,
  packages: 100,
  runcmd: 100,
  writeFiles: 50,
  writeFileContentLength: 128 * 1024,
} as const;

/** RFC 1123: dot-separated labels of 1-63 letters, digits and inner dashes; 253 characters in all. */
export const HOSTNAME_PATTERN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** What useradd accepts by default on Debian, Ubuntu and Rocky (NAME_REGEX), 32 characters at most. */
export const LINUX_USER_NAME_PATTERN = /^[a-z_][a-z0-9_-]{0,31}$/;
const OWNER_PATTERN = /^[a-z_][a-z0-9_-]{0,31}(?::[a-z_][a-z0-9_-]{0,31})?$/;
/** Debian and RPM package names, optionally pinned (`nginx=1.24.0-2`, `libc6:amd64`). */
const PACKAGE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9+._:=~-]{0,127}$/;
const ABSOLUTE_FILE_PATH = /^\/.*[^/]$/s;
const FILE_MODE = /^[0-7]{3,4}$/;

/** The structured fields; raw `userData` excludes all of them. */
export const STRUCTURED_CLOUD_INIT_FIELDS = ['hostname', 'users', 'packages', 'runcmd', 'writeFiles'] as const;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimEach = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((item: unknown) => trim({ value: item })) : value);

export class CloudInitUserDto implements CloudInitUser {
  @ApiProperty({ description: 'Linux account name', example: 'alice', pattern: LINUX_USER_NAME_PATTERN.source })
  @IsString()
  @Matches(LINUX_USER_NAME_PATTERN, { message: 'name must be a Linux user name: a lowercase letter or _, then up to 31 lowercase letters, digits, _ or -' })
  name: string;

  @ApiPropertyOptional({
    description: 'Password for the serial console (and SSH). Hashed with SHA-512 crypt on arrival; never stored, logged or returned.',
    format: 'password',
    writeOnly: true,
    minLength: 1,
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @Length(1, 256, { message: 'password must be 1-256 characters' })
  @IsPrintableText({ multiline: false }, { message: 'password must not contain control characters or line breaks' })
  password?: string;

  @ApiPropertyOptional({
    description: `OpenSSH public keys (${SSH_PUBLIC_KEY_TYPES.join(', ')}), one per item, as in authorized_keys`,
    type: [String],
    maxItems: CLOUD_INIT_LIMITS.sshKeysPerUser,
    example: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKbO9IFEhhgf2TLbj6/0R0EnRt7LP5d5lo2EmDH9fGuY alice@laptop'],
  })
  @IsOptional()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(CLOUD_INIT_LIMITS.sshKeysPerUser)
  @MaxLength(CLOUD_INIT_LIMITS.sshKeyLength, { each: true, message: `each SSH key must be at most ${CLOUD_INIT_LIMITS.sshKeyLength} characters` })
  @AreSshPublicKeys()
  sshAuthorizedKeys?: string[];

  @ApiPropertyOptional({ description: 'Passwordless sudo (ALL=(ALL) NOPASSWD:ALL)', default: false })
  @IsOptional()
  @IsBoolean()
  sudo?: boolean;
}

export class CloudInitWriteFileDto implements CloudInitWriteFile {
  @ApiProperty({ description: 'Absolute path of the file in the guest', example: '/etc/motd', maxLength: 4096 })
  @IsString()
  @MaxLength(4096)
  @Matches(ABSOLUTE_FILE_PATH, { message: 'path must be an absolute file path, such as /etc/app.conf' })
  @IsPrintableText({ multiline: false }, { message: 'path must not contain control characters or line breaks' })
  path: string;

  @ApiProperty({ description: 'Text content', example: 'Welcome to OpenHVX\n', maxLength: CLOUD_INIT_LIMITS.writeFileContentLength })
  @IsString()
  @MaxLength(CLOUD_INIT_LIMITS.writeFileContentLength, { message: `content must be at most ${CLOUD_INIT_LIMITS.writeFileContentLength / 1024} KiB` })
  @IsPrintableText({ multiline: true }, { message: 'content must be text: no control characters other than tab and line breaks' })
  content: string;

  @ApiPropertyOptional({ description: "Octal mode, as a string (cloud-init's default is '0644')", example: '0640', pattern: FILE_MODE.source })
  @IsOptional()
  @IsString()
  @Matches(FILE_MODE, { message: "permissions must be an octal mode such as '0644'" })
  permissions?: string;

  @ApiPropertyOptional({ description: "'user' or 'user:group'; default root:root", example: 'alice:alice' })
  @IsOptional()
  @IsString()
  @Matches(OWNER_PATTERN, { message: "owner must be 'user' or 'user:group' with Linux names" })
  owner?: string;
}

@ApiSchema({
  description:
    'Guest configuration applied by cloud-init on first boot: either the structured fields, or raw `userData` alone. ' +
    'The serial console (ttyS0) is enabled with the structured form; raw user-data is passed through unchanged.',
})
export class CloudInitDto implements CloudInitInput {
  @ApiPropertyOptional({ description: 'Host name or FQDN (RFC 1123); defaults to one derived from the VM name', example: 'web-1.example.internal' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(HOSTNAME_PATTERN, { message: 'hostname must be an RFC 1123 host name: dot-separated labels of 1-63 letters, digits or inner dashes, 253 characters at most' })
  hostname?: string;

  @ApiPropertyOptional({ type: [CloudInitUserDto], maxItems: CLOUD_INIT_LIMITS.users, description: "Accounts to create besides the image's default user" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CLOUD_INIT_LIMITS.users)
  @ArrayUnique((user: CloudInitUserDto | undefined) => user?.name, { message: 'users must have distinct names' })
  @ValidateNested({ each: true })
  @Type(() => CloudInitUserDto)
  users?: CloudInitUserDto[];

  @ApiPropertyOptional({ type: [String], maxItems: CLOUD_INIT_LIMITS.packages, description: 'Distribution packages to install', example: ['nginx', 'htop'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CLOUD_INIT_LIMITS.packages)
  @IsString({ each: true })
  @Matches(PACKAGE_PATTERN, { each: true, message: 'each package must be a package name of up to 128 letters, digits or + . _ : = ~ - (such as "nginx" or "nginx=1.24.0-2")' })
  packages?: string[];

  @ApiPropertyOptional({
    description: `Commands run once, at the end of first boot: a shell line, or an argument list (run without a shell, at most ${MAX_COMMAND_ARGUMENTS} items); each string at most ${MAX_COMMAND_LENGTH} characters`,
    type: 'array',
    maxItems: CLOUD_INIT_LIMITS.runcmd,
    items: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    example: ['systemctl enable --now nginx', ['sh', '-c', 'echo ready > /run/ready']],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CLOUD_INIT_LIMITS.runcmd)
  @AreRunCommands()
  runcmd?: RunCommand[];

  @ApiPropertyOptional({ type: [CloudInitWriteFileDto], maxItems: CLOUD_INIT_LIMITS.writeFiles })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CLOUD_INIT_LIMITS.writeFiles)
  @ArrayUnique((file: CloudInitWriteFileDto | undefined) => file?.path, { message: 'writeFiles must have distinct paths' })
  @ValidateNested({ each: true })
  @Type(() => CloudInitWriteFileDto)
  writeFiles?: CloudInitWriteFileDto[];

  @ApiPropertyOptional({
    description: `Raw user-data, passed to the guest unchanged: a "#cloud-config" YAML mapping or a "#!" script, at most ${MAX_USER_DATA_BYTES / 1024} KiB. Excludes every other field.`,
    maxLength: MAX_USER_DATA_BYTES,
    example: '#cloud-config\npackages: [nginx]\n',
  })
  @IsOptional()
  @IsString()
  @IsUserData()
  @ExcludesFields(STRUCTURED_CLOUD_INIT_FIELDS)
  userData?: string;
}
