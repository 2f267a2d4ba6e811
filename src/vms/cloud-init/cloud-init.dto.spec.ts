import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { CloudInitDto } from './cloud-init.dto';

// Generated with ssh-keygen for these tests; public halves only.
const KEYS = {
  ed25519: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFf9skdFsEfB93SMik+RRv2Yt6mCNOYTV9DJ7qWaf1ob test@openhvx',
  rsa:
    'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCSDSfahQkTkRANdfCELfVIKwfu/kycV+PvvOik2J5Yzs20I1UBfNTJI9VqX9Ri9FFaUzr/ESXI8KcSkF9bvl1GcV9hUdxo/YEOiPPQgk6AOVV1JarXBAHLvTK4D/6vnrZGu5+xJAyq0I3bFrM4bvy14Njc5ERJG0f4o30GP8bIWD2cpt7uoBglrWVM8dVHIsVSezMp5DYj+VUWz+5RtcGqjuPm8KnJPL2WCGwUgt5atB2waUN62S6AT+u4AXZTxmNgX+ZsERWWJ7uPUT+QnnNwFGMjqrM4Gni+ibGVYEVzZ0FWuInFVgmcZl49XcrT4EmXIpIV+NWQFuPNYt7lGZL5 test@openhvx',
  ecdsa256:
    'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNl80pbFr7zGRjYuzAzEU4nhiQU40HwZj/bWS7mDHuoY/VWFNDZ1WUGgocvifc4ihqYSV9EwkgPMpulCylQDiYw= test@openhvx',
  ecdsa384:
    'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBGSCNWK8LLsfWglswPcEf0ZqCMMDBtASEarSAjFhStTWFmuTT5TYiMqMhteGOtduJDKuBmNGoAXC/dXhz8dH5h/VsVN9XZfKQxOZg7d/PuaQ92e/vAe5nNffKm484Bm3JA== test@openhvx',
  ecdsa521:
    'ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAG8zckdj/2Ct1rR4Odv5JpxUWBHS8ptxkfpggw5MhC/FMpMKZHLLbjl0hUExmdUj6YFTKcELvyyKwgayj3vKmUfBwE/k0guX1Lxu5SimwpqpUwPZIuO3uBljSjTYP0NiIDuLi7orMrFcTXUBtpcslvM3MHPdxemghutgITZkkbgUS0rsw== test@openhvx',
  skEd25519: securityKey('sk-ssh-ed25519@openssh.com', randomBytes(32)),
  skEcdsa: securityKey('sk-ecdsa-sha2-nistp256@openssh.com', Buffer.concat([Buffer.from([4]), randomBytes(64)])),
};

/** A FIDO key's public line, built as OpenSSH lays it out (no hardware token here to generate one). */
function securityKey(type: string, publicKey: Buffer): string {
  const field = (value: Buffer | string) => {
    const bytes = Buffer.from(value);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const curve = type.startsWith('sk-ecdsa') ? [field('nistp256')] : [];
  return `${type} ${Buffer.concat([field(type), ...curve, field(publicKey), field('ssh:')]).toString('base64')} yubikey`;
}

function validStructured(): Record<string, unknown> {
  return {
    hostname: 'web-1.example.internal',
    users: [{ name: 'alice', password: 'correct horse battery', sshAuthorizedKeys: [KEYS.ed25519], sudo: true }, { name: 'bob' }],
    packages: ['nginx', 'python3-yaml', 'libc6:amd64', 'nginx=1.24.0-2', 'NetworkManager'],
    runcmd: ['systemctl enable --now nginx', ['sh', '-c', 'echo ready > /run/ready'], 'printf "a\\tb\\n"\necho second line'],
    writeFiles: [
      { path: '/etc/motd', content: 'Welcome\n' },
      { path: '/home/alice/.config/app.conf', content: '', permissions: '0600', owner: 'alice:alice' },
    ],
  };
}

function withUser(changes: Record<string, unknown>): Record<string, unknown> {
  return { users: [{ name: 'alice', ...changes }] };
}

function withFile(changes: Record<string, unknown>): Record<string, unknown> {
  return { writeFiles: [{ path: '/etc/motd', content: 'hi\n', ...changes }] };
}

interface Problem {
  field: string;
  message: string;
}

/** Validated as the global ValidationPipe does it (same options), errors flattened to field paths. */
async function problemsOf(input: unknown): Promise<Problem[]> {
  const dto = plainToInstance(CloudInitDto, input);
  const errors = await validate(dto as object, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return flatten(errors);
}

function flatten(errors: ValidationError[], parent = ''): Problem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

describe(CloudInitDto.name, () => {
  describe('accepts', () => {
    it.each([
      ['a full structured configuration', validStructured()],
      ['an empty configuration', {}],
      ['every supported SSH key type, pasted with surrounding whitespace', withUser({ sshAuthorizedKeys: Object.values(KEYS).map((key) => ` ${key}\n`) })],
      ['a single-label hostname of 63 characters', { hostname: `a${'b'.repeat(61)}c` }],
      ['a 253-character FQDN', { hostname: [...Array<string>(3).fill('a'.repeat(63)), 'b'.repeat(61)].join('.') }],
      ['user names like Linux ones', { users: ['_svc', 'deploy-bot', 'a', `a${'b'.repeat(31)}`].map((name) => ({ name })) }],
      ['20 users', { users: Array.from({ length: 20 }, (_, i) => ({ name: `user${i}` })) }],
      ['a password of 256 characters, Unicode included', withUser({ password: 'ü'.repeat(256) })],
      ['raw cloud-config', { userData: '#cloud-config\npackages: [nginx]\nruncmd:\n  - echo hi\n' }],
      ['raw cloud-config with CRLF line ends and repeated keys', { userData: '#cloud-config\r\npackages: [a]\r\npackages: [b]\r\n' }],
      ['a raw script', { userData: '#!/bin/bash\necho "hello" > /tmp/x\n' }],
      ['file modes with and without the leading zero', { writeFiles: [{ path: '/a', content: '', permissions: '644' }, { path: '/b', content: '', permissions: '4755' }] }],
    ])('%s', async (_case, input) => {
      await expect(problemsOf(input)).resolves.toEqual([]);
    });

    it('trims pasted SSH keys', async () => {
      const dto = plainToInstance(CloudInitDto, withUser({ sshAuthorizedKeys: [`  ${KEYS.ed25519}\r\n`] }));
      expect(dto.users?.[0].sshAuthorizedKeys).toEqual([KEYS.ed25519]);
    });
  });

  describe('refuses', () => {
    it.each<[string, Record<string, unknown>, string, string]>([
      // raw user-data
      ['userData with a structured field', { userData: '#cloud-config\n{}\n', hostname: 'web' }, 'userData', 'cannot be combined with hostname'],
      ['userData with several structured fields', { userData: '#!/bin/sh\n', users: [{ name: 'a' }], runcmd: ['ls'] }, 'userData', 'cannot be combined with users, runcmd'],
      ['userData in another format', { userData: '#include\nhttps://example.com/x\n' }, 'userData', 'must start with "#cloud-config"'],
      ['a cloud-config archive', { userData: '#cloud-config-archive\n- type: text/cloud-config\n' }, 'userData', 'must start with "#cloud-config"'],
      ['cloud-config that is a YAML list', { userData: '#cloud-config\n- a\n- b\n' }, 'userData', 'must be a YAML mapping'],
      ['empty cloud-config', { userData: '#cloud-config\n' }, 'userData', 'must be a YAML mapping'],
      ['cloud-config that is not YAML', { userData: '#cloud-config\npackages: [nginx\n' }, 'userData', 'is not valid YAML'],
      ['cloud-config with characters cloud-init cannot read', { userData: '#cloud-config\nbootcmd: ["echo \x7f"]\n' }, 'userData', 'control characters'],
      ['userData over 256 KiB', { userData: `#!/bin/sh\n# ${'x'.repeat(256 * 1024)}` }, 'userData', 'at most 256 KiB'],
      ['userData that is not a string', { userData: { packages: ['nginx'] } }, 'userData', 'must be a string'],
      // hostname
      ['a hostname label of 64 characters', { hostname: 'a'.repeat(64) }, 'hostname', 'RFC 1123'],
      ['a hostname over 253 characters', { hostname: Array<string>(5).fill('a'.repeat(63)).join('.') }, 'hostname', 'RFC 1123'],
      ['a hostname starting with a dash', { hostname: '-web' }, 'hostname', 'RFC 1123'],
      ['a hostname label ending with a dash', { hostname: 'web-.example' }, 'hostname', 'RFC 1123'],
      ['a hostname with an underscore', { hostname: 'web_1' }, 'hostname', 'RFC 1123'],
      ['a hostname with an empty label', { hostname: 'web..example' }, 'hostname', 'RFC 1123'],
      ['a hostname with a space', { hostname: 'web server' }, 'hostname', 'RFC 1123'],
      // users
      ['an upper-case user name', withUser({ name: 'Alice' }), 'users.0.name', 'Linux user name'],
      ['a user name starting with a digit', withUser({ name: '1alice' }), 'users.0.name', 'Linux user name'],
      ['a user name of 33 characters', withUser({ name: 'a'.repeat(33) }), 'users.0.name', 'Linux user name'],
      ['a user name with a dot', withUser({ name: 'al.ice' }), 'users.0.name', 'Linux user name'],
      ['a user without a name', { users: [{ sudo: true }] }, 'users.0.name', 'Linux user name'],
      ['21 users', { users: Array.from({ length: 21 }, (_, i) => ({ name: `user${i}` })) }, 'users', 'must contain no more than 20 elements'],
      ['two users with the same name', { users: [{ name: 'alice' }, { name: 'alice', sudo: true }] }, 'users', 'distinct names'],
      ['a user that is not an object', { users: ['alice'] }, 'users.0', 'nested property users must be either object or array'],
      ['an unknown user field', withUser({ groups: 'wheel' }), 'users.0.groups', 'should not exist'],
      ['an empty password', withUser({ password: '' }), 'users.0.password', '1-256 characters'],
      ['a password of 257 characters', withUser({ password: 'x'.repeat(257) }), 'users.0.password', '1-256 characters'],
      ['a password with a line break', withUser({ password: 'line\nbreak' }), 'users.0.password', 'control characters'],
      ['a password that is not a string', withUser({ password: 12345678 }), 'users.0.password', 'must be a string'],
      ['sudo that is not a boolean', withUser({ sudo: 'yes' }), 'users.0.sudo', 'boolean'],
      // SSH keys
      ['a string that is no SSH key', withUser({ sshAuthorizedKeys: ['hello'] }), 'users.0.sshAuthorizedKeys', 'sshAuthorizedKeys[0] is not an OpenSSH public key line'],
      ['a DSA key', withUser({ sshAuthorizedKeys: [KEYS.ed25519, `ssh-dss ${'A'.repeat(80)}`] }), 'users.0.sshAuthorizedKeys', 'sshAuthorizedKeys[1] has key type "ssh-dss"'],
      ['a private key', withUser({ sshAuthorizedKeys: ['-----BEGIN OPENSSH PRIVATE KEY-----'] }), 'users.0.sshAuthorizedKeys', 'sshAuthorizedKeys[0] is a private key'],
      ['an RSA key relabelled ed25519', withUser({ sshAuthorizedKeys: [KEYS.rsa.replace('ssh-rsa', 'ssh-ed25519')] }), 'users.0.sshAuthorizedKeys', 'does not hold a ssh-ed25519 key'],
      ['a truncated key', withUser({ sshAuthorizedKeys: [KEYS.ed25519.slice(0, 40)] }), 'users.0.sshAuthorizedKeys', 'does not hold a ssh-ed25519 key'],
      ['a key with authorized_keys options', withUser({ sshAuthorizedKeys: [`from="10.0.0.1" ${KEYS.ed25519}`] }), 'users.0.sshAuthorizedKeys', 'is not an OpenSSH public key line'],
      ['two keys in one item', withUser({ sshAuthorizedKeys: [`${KEYS.ed25519}\n${KEYS.rsa}`] }), 'users.0.sshAuthorizedKeys', 'is not an OpenSSH public key line'],
      ['keys that are not a list', withUser({ sshAuthorizedKeys: KEYS.ed25519 }), 'users.0.sshAuthorizedKeys', 'must be an array'],
      ['33 keys', withUser({ sshAuthorizedKeys: Array<string>(33).fill(KEYS.ed25519) }), 'users.0.sshAuthorizedKeys', 'no more than 32 elements'],
      // packages
      ['a package name with a space', { packages: ['rm -rf'] }, 'packages', 'each package must be a package name'],
      ['a package name starting with a dash', { packages: ['-y'] }, 'packages', 'each package must be a package name'],
      ['a package name with a semicolon', { packages: ['nginx;reboot'] }, 'packages', 'each package must be a package name'],
      ['101 packages', { packages: Array.from({ length: 101 }, (_, i) => `pkg${i}`) }, 'packages', 'no more than 100 elements'],
      // runcmd
      ['an empty command', { runcmd: ['ls', ''] }, 'runcmd', 'runcmd[1] must be a command line of 1-4096 characters'],
      ['a command over 4096 characters', { runcmd: [`echo ${'x'.repeat(4092)}`] }, 'runcmd', 'runcmd[0] must be a command line of 1-4096 characters'],
      ['an empty argument list', { runcmd: [[]] }, 'runcmd', 'runcmd[0] must list 1-64 arguments'],
      ['an argument list without a program', { runcmd: [['', 'x']] }, 'runcmd', 'runcmd[0] must start with the program to run'],
      ['an argument list holding a number', { runcmd: [['sleep', 5]] }, 'runcmd', 'runcmd[0] must hold only strings'],
      ['a command that is a number', { runcmd: [42] }, 'runcmd', 'runcmd[0] must be a command line (string) or an argument list'],
      ['a command with a control character', { runcmd: ['echo \x1b[31m'] }, 'runcmd', 'runcmd[0] must not contain control characters'],
      ['101 commands', { runcmd: Array<string>(101).fill('true') }, 'runcmd', 'no more than 100 elements'],
      // writeFiles
      ['a relative path', withFile({ path: 'etc/motd' }), 'writeFiles.0.path', 'absolute file path'],
      ['a directory path', withFile({ path: '/etc/' }), 'writeFiles.0.path', 'absolute file path'],
      ['a path with a line break', withFile({ path: '/etc/mo\ntd' }), 'writeFiles.0.path', 'control characters'],
      ['a file without content', { writeFiles: [{ path: '/etc/motd' }] }, 'writeFiles.0.content', 'must be a string'],
      ['content with a control character', withFile({ content: 'ding\x07' }), 'writeFiles.0.content', 'control characters'],
      ['content over 128 KiB', withFile({ content: 'x'.repeat(128 * 1024 + 1) }), 'writeFiles.0.content', 'at most 128 KiB'],
      ['a mode that is not octal', withFile({ permissions: '0999' }), 'writeFiles.0.permissions', "octal mode such as '0644'"],
      ['a symbolic mode', withFile({ permissions: 'rw-r--r--' }), 'writeFiles.0.permissions', "octal mode such as '0644'"],
      ['a numeric mode', withFile({ permissions: 644 }), 'writeFiles.0.permissions', 'must be a string'],
      ['an owner with three parts', withFile({ owner: 'a:b:c' }), 'writeFiles.0.owner', "'user' or 'user:group'"],
      ['an upper-case owner', withFile({ owner: 'Root' }), 'writeFiles.0.owner', "'user' or 'user:group'"],
      ['an unknown file field', withFile({ encoding: 'b64' }), 'writeFiles.0.encoding', 'should not exist'],
      ['two files with the same path', { writeFiles: [{ path: '/a', content: '' }, { path: '/a', content: 'x' }] }, 'writeFiles', 'distinct paths'],
      // the rest
      ['an unknown field', { bootcmd: ['echo hi'] }, 'bootcmd', 'should not exist'],
    ])('%s', async (_case, input, field, fragment) => {
      const problems = await problemsOf(input);
      expect(problems).toContainEqual({ field, message: expect.stringContaining(fragment) });
    });

    it('names every structured field sent along with userData, and only those', async () => {
      const problems = await problemsOf({ userData: '#!/bin/sh\n', hostname: 'web', packages: ['nginx'], writeFiles: [{ path: '/a', content: '' }] });
      expect(problems).toEqual([
        {
          field: 'userData',
          message: 'userData cannot be combined with hostname, packages, writeFiles: send either raw userData or the structured fields, not both',
        },
      ]);
    });
  });
});
