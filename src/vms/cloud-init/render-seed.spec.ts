import { HttpStatus } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { parse } from 'yaml';
import { AppException } from '../../common/errors/app-exception';
import { ErrorCode } from '../../contracts/error-code';
import { CloudInitDto, HOSTNAME_PATTERN } from './cloud-init.dto';
import { hashCloudInitPasswords, hostnameFromVmName, renderCloudInitSeed, StoredCloudInit, StructuredCloudInit } from './render-seed';
import { verifyPassword } from '../../contracts/sha512-crypt';

const ALICE_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFf9skdFsEfB93SMik+RRv2Yt6mCNOYTV9DJ7qWaf1ob alice@laptop';
const ALICE_PASSWORD = 'alice-s3cret-pässword';
const UBUNTU_PASSWORD = 'console-only-Pa55';

function request(plain: Record<string, unknown>): CloudInitDto {
  return plainToInstance(CloudInitDto, plain);
}

function fullRequest(): CloudInitDto {
  return request({
    hostname: 'web-1.example.internal',
    users: [
      { name: 'alice', password: ALICE_PASSWORD, sshAuthorizedKeys: [ALICE_KEY], sudo: true },
      { name: 'ubuntu', password: UBUNTU_PASSWORD },
      { name: 'deploy', sshAuthorizedKeys: [ALICE_KEY], sudo: false },
    ],
    packages: ['nginx', 'htop'],
    runcmd: ['systemctl enable --now nginx', ['sh', '-c', 'echo ready > /run/ready']],
    writeFiles: [
      { path: '/etc/motd', content: 'Welcome\n' },
      { path: '/home/alice/app.conf', content: 'port: 8080\n', permissions: '600', owner: 'alice:alice' },
      { path: '/etc/app.conf', content: 'x\n', permissions: '0640', owner: 'root:root' },
    ],
  });
}

/** user-data as cloud-init reads it: YAML 1.1 after a `#cloud-config` first line. */
function cloudConfigOf(userData: string): Record<string, unknown> {
  expect(userData.split('\n')[0]).toBe('#cloud-config');
  return parse(userData, { version: '1.1' }) as Record<string, unknown>;
}

const SERIAL_CONSOLE = {
  grubFile: {
    path: '/etc/default/grub.d/90-openhvx-serial-console.cfg',
    permissions: '0644',
    content: expect.stringContaining('GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX console=tty0 console=ttyS0,115200n8"'),
  },
  getty: ['systemctl', 'enable', '--now', '--no-block', 'serial-getty@ttyS0.service'],
  kernelCommandLine: expect.stringMatching(/grubby --update-kernel=ALL --args='console=tty0 console=ttyS0,115200n8'.*update-grub/),
};

describe('render-seed', () => {
  describe(hashCloudInitPasswords.name, () => {
    it('replaces each password with a SHA-512 crypt hash of it and keeps everything else', () => {
      const stored = hashCloudInitPasswords(fullRequest()) as StructuredCloudInit;
      const [alice, ubuntu, deploy] = stored.users ?? [];

      expect(alice.passwordHash).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
      expect(verifyPassword(ALICE_PASSWORD, alice.passwordHash!)).toBe(true);
      expect(verifyPassword(UBUNTU_PASSWORD, ubuntu.passwordHash!)).toBe(true);
      expect(stored).toEqual({
        hostname: 'web-1.example.internal',
        users: [
          { name: 'alice', passwordHash: alice.passwordHash, sshAuthorizedKeys: [ALICE_KEY], sudo: true },
          { name: 'ubuntu', passwordHash: ubuntu.passwordHash },
          { name: 'deploy', sshAuthorizedKeys: [ALICE_KEY], sudo: false },
        ],
        packages: ['nginx', 'htop'],
        runcmd: ['systemctl enable --now nginx', ['sh', '-c', 'echo ready > /run/ready']],
        writeFiles: [
          { path: '/etc/motd', content: 'Welcome\n' },
          { path: '/home/alice/app.conf', content: 'port: 8080\n', permissions: '600', owner: 'alice:alice' },
          { path: '/etc/app.conf', content: 'x\n', permissions: '0640', owner: 'root:root' },
        ],
      });
      expect(deploy).not.toHaveProperty('passwordHash');
    });

    it('keeps no trace of a plaintext password', () => {
      const stored = hashCloudInitPasswords(fullRequest());
      const serialized = JSON.stringify(stored);
      expect(serialized).not.toContain(ALICE_PASSWORD);
      expect(serialized).not.toContain(UBUNTU_PASSWORD);
      expect(serialized).not.toContain('"password"');
    });

    it('stores plain objects, not request class instances, and leaves the request untouched', () => {
      const input = fullRequest();
      const stored = hashCloudInitPasswords(input) as StructuredCloudInit;
      expect(Object.getPrototypeOf(stored.users![0])).toBe(Object.prototype);
      expect(Object.getPrototypeOf(stored.writeFiles![0])).toBe(Object.prototype);
      stored.users![0].sshAuthorizedKeys!.push('changed');
      expect(input.users![0].sshAuthorizedKeys).toEqual([ALICE_KEY]);
    });

    it('drops members sent as null', () => {
      const stored = hashCloudInitPasswords(request({ hostname: null, users: [{ name: 'a', password: null, sudo: null }], runcmd: null }));
      expect(stored).toEqual({ users: [{ name: 'a' }] });
    });

    it('keeps raw user-data as it came', () => {
      const userData = '#cloud-config\npassword: chosen-by-the-tenant\n';
      expect(hashCloudInitPasswords(request({ userData }))).toEqual({ userData });
    });

    it('refuses, with a 400, a configuration too large for a seed', () => {
      const big = request({ writeFiles: [1, 2, 3].map((i) => ({ path: `/srv/file${i}`, content: 'x'.repeat(100 * 1024) })) });
      let refusal: unknown;
      try {
        hashCloudInitPasswords(big);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(AppException);
      expect((refusal as AppException).getStatus()).toBe(HttpStatus.BAD_REQUEST);
      expect((refusal as AppException).code).toBe(ErrorCode.ValidationFailed);
      expect((refusal as AppException).message).toMatch(/cloudInit renders to 30\d KiB of user-data; a seed holds at most 256 KiB/);
    });
  });

  describe(renderCloudInitSeed.name, () => {
    it('writes meta-data with the instance id and the configured host name', () => {
      const seed = renderCloudInitSeed({ instanceId: '6650f1c2a1b2c3d4e5f60718', hostname: 'from-vm-name', cloudInit: hashCloudInitPasswords(fullRequest()) });
      expect(parse(seed.metaData, { version: '1.1' })).toEqual({ 'instance-id': '6650f1c2a1b2c3d4e5f60718', 'local-hostname': 'web-1.example.internal' });
      expect(seed.networkConfig).toBeUndefined();
    });

    it('renders the structured form as the cloud-config cloud-init expects', () => {
      const stored = hashCloudInitPasswords(fullRequest()) as StructuredCloudInit;
      const [alice, ubuntu] = stored.users!;
      const seed = renderCloudInitSeed({ instanceId: 'vm-1', hostname: 'ignored', cloudInit: stored });

      expect(cloudConfigOf(seed.userData)).toEqual({
        hostname: 'web-1',
        fqdn: 'web-1.example.internal',
        preserve_hostname: false,
        manage_etc_hosts: true,
        users: [
          'default',
          { name: 'alice', shell: '/bin/bash', passwd: alice.passwordHash, lock_passwd: false, ssh_authorized_keys: [ALICE_KEY], sudo: 'ALL=(ALL) NOPASSWD:ALL' },
          { name: 'ubuntu', shell: '/bin/bash', passwd: ubuntu.passwordHash, lock_passwd: false },
          { name: 'deploy', shell: '/bin/bash', ssh_authorized_keys: [ALICE_KEY] },
        ],
        chpasswd: {
          expire: false,
          users: [
            { name: 'alice', password: alice.passwordHash, type: 'hash' },
            { name: 'ubuntu', password: ubuntu.passwordHash, type: 'hash' },
          ],
        },
        ssh_pwauth: true,
        package_update: true,
        packages: ['nginx', 'htop'],
        write_files: [
          SERIAL_CONSOLE.grubFile,
          { path: '/etc/motd', content: 'Welcome\n' },
          { path: '/home/alice/app.conf', content: 'port: 8080\n', permissions: '0600', owner: 'alice:alice', defer: true },
          { path: '/etc/app.conf', content: 'x\n', permissions: '0640', owner: 'root:root' },
        ],
        bootcmd: [SERIAL_CONSOLE.getty],
        runcmd: [SERIAL_CONSOLE.kernelCommandLine, 'systemctl enable --now nginx', ['sh', '-c', 'echo ready > /run/ready']],
      });
    });

    it('puts no plaintext password in the seed, only hashes that verify', () => {
      const seed = renderCloudInitSeed({ instanceId: 'vm-1', hostname: 'web', cloudInit: hashCloudInitPasswords(fullRequest()) });
      const files = `${seed.metaData}\n${seed.userData}`;
      expect(files).not.toContain(ALICE_PASSWORD);
      expect(files).not.toContain(UBUNTU_PASSWORD);
      const config = cloudConfigOf(seed.userData) as { users: [string, { passwd: string }] };
      expect(verifyPassword(ALICE_PASSWORD, config.users[1].passwd)).toBe(true);
    });

    it("configures the image's default account through `user` when a requested user has its name", () => {
      const stored = hashCloudInitPasswords(fullRequest()) as StructuredCloudInit;
      const config = cloudConfigOf(renderCloudInitSeed({ instanceId: 'vm-1', hostname: 'web', cloudInit: stored, defaultUser: 'ubuntu' }).userData);

      expect(config.user).toEqual({ name: 'ubuntu', shell: '/bin/bash', passwd: stored.users![1].passwordHash, lock_passwd: false });
      expect((config.users as Array<string | { name: string }>).map((user) => (typeof user === 'string' ? user : user.name))).toEqual(['default', 'alice', 'deploy']);
    });

    it("names the image's default account and adds nothing else when no users are requested", () => {
      const config = cloudConfigOf(renderCloudInitSeed({ instanceId: 'vm-1', hostname: 'db', cloudInit: { packages: ['postgresql'] }, defaultUser: 'rocky' }).userData);

      expect(config.user).toEqual({ name: 'rocky' });
      expect(config).not.toHaveProperty('users');
      expect(config).not.toHaveProperty('chpasswd');
      expect(config).not.toHaveProperty('ssh_pwauth');
    });

    it('enables the serial console and takes the host name from the VM when there is no cloud-init at all', () => {
      const seed = renderCloudInitSeed({ instanceId: 'vm-2', hostname: 'web-server-1' });
      expect(parse(seed.metaData)).toEqual({ 'instance-id': 'vm-2', 'local-hostname': 'web-server-1' });
      expect(cloudConfigOf(seed.userData)).toEqual({
        hostname: 'web-server-1',
        preserve_hostname: false,
        manage_etc_hosts: true,
        write_files: [SERIAL_CONSOLE.grubFile],
        bootcmd: [SERIAL_CONSOLE.getty],
        runcmd: [SERIAL_CONSOLE.kernelCommandLine],
      });
    });

    it('keeps strings that YAML 1.1 would read as booleans, numbers or times as strings', () => {
      const tricky = ['yes', 'no', 'on', 'off', 'y', '0644', '12:30', '1e3', '0x1F', 'null', '~', '', 'true', '- item', 'key: value', '#comment', '*alias'];
      const cloudInit: StoredCloudInit = {
        hostname: '0644',
        packages: tricky.filter((value) => /^[a-z0-9]/i.test(value)),
        runcmd: [tricky.filter(Boolean) as string[], ...tricky.filter(Boolean)],
        writeFiles: [{ path: '/etc/x', content: 'yes', permissions: '0644', owner: 'on' }],
      };
      const config = cloudConfigOf(renderCloudInitSeed({ instanceId: 'yes', hostname: 'h', cloudInit }).userData);

      expect(config.hostname).toBe('0644');
      expect(config.packages).toEqual(cloudInit.packages);
      expect((config.runcmd as unknown[]).slice(1)).toEqual(cloudInit.runcmd);
      expect((config.write_files as unknown[])[1]).toEqual({ path: '/etc/x', content: 'yes', permissions: '0644', owner: 'on', defer: true });
    });

    it('passes raw user-data through unchanged, with its own meta-data', () => {
      const userData = '#cloud-config\r\n# keep: this comment\r\npackages: [nginx]\r\n';
      const seed = renderCloudInitSeed({ instanceId: 'vm-3', hostname: 'raw-vm', cloudInit: { userData }, defaultUser: 'ubuntu' });
      expect(seed.userData).toBe(userData);
      expect(parse(seed.metaData)).toEqual({ 'instance-id': 'vm-3', 'local-hostname': 'raw-vm' });
    });

    it('passes a raw script through unchanged', () => {
      const userData = '#!/bin/bash\necho "$(hostname)" > /etc/issue\n';
      expect(renderCloudInitSeed({ instanceId: 'vm-4', hostname: 'h', cloudInit: { userData } }).userData).toBe(userData);
    });

    it('refuses a seed whose user-data would exceed 256 KiB', () => {
      const cloudInit: StoredCloudInit = { writeFiles: [{ path: '/big', content: 'x'.repeat(256 * 1024) }] };
      expect(() => renderCloudInitSeed({ instanceId: 'vm-5', hostname: 'h', cloudInit })).toThrow(AppException);
    });
  });

  describe(hostnameFromVmName.name, () => {
    it.each([
      ['web-1', 'web-1'],
      ['Web Server #1', 'web-server-1'],
      ['Ünïcödé VM', 'unicode-vm'],
      ['db.prod.internal', 'db-prod-internal'],
      ['  --spaced__out--  ', 'spaced-out'],
      ['测试机', 'vm'],
      ['', 'vm'],
    ])('turns %j into %j', (vmName, hostname) => {
      expect(hostnameFromVmName(vmName)).toBe(hostname);
    });

    it('cuts long names to one 63-character label without a trailing dash', () => {
      const hostname = hostnameFromVmName(`${'a'.repeat(62)} b and more`);
      expect(hostname).toBe('a'.repeat(62));
      expect(hostnameFromVmName('x'.repeat(200))).toHaveLength(63);
    });

    it('always yields a valid RFC 1123 label', () => {
      for (const vmName of ['-', '...', 'a'.repeat(300), 'ÅÄÖ 123', 'tab\tand\nnewline', '🙂 smile', 'UPPER lower']) {
        const hostname = hostnameFromVmName(vmName);
        expect(hostname).toMatch(HOSTNAME_PATTERN);
        expect(hostname).not.toContain('.');
      }
    });

    it('uses the fallback given when nothing usable is left', () => {
      expect(hostnameFromVmName('测试', 'vm-6650f1c2')).toBe('vm-6650f1c2');
    });
  });
});
