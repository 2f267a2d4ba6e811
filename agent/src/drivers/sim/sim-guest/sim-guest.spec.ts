import { stringify } from 'yaml';
import { hashPassword } from '../../../../../src/contracts/sha512-crypt';
import { CloudInitSeed } from '../../../cloud-init/nocloud-seed-iso';
import { GuestHalt, GuestMachine, SerialSink, SimGuest } from './sim-guest';

const BOOTED_AT = Date.UTC(2026, 11, 4, 8, 0, 0);

/** A seed shaped like the one the control plane renders: a user with a SHA-512 crypt password and sudo. */
function seed(hostname: string, users: { name: string; password: string; sudo?: boolean }[]): CloudInitSeed {
  const userData = stringify({
    hostname,
    user: { name: 'ubuntu' },
    users: ['default', ...users.map((user) => ({ name: user.name, passwd: hashPassword(user.password), lock_passwd: false, ...(user.sudo ? { sudo: 'ALL=(ALL) NOPASSWD:ALL' } : {}) }))],
  });
  return { metaData: stringify({ 'instance-id': 'i-1', 'local-hostname': hostname }), userData: `#cloud-config\n${userData}` };
}

class Screen implements SerialSink {
  paused = false;
  text = '';
  deliver(data: Buffer): void {
    this.text += data.toString('utf8');
  }
  /** What arrived since the last call. */
  take(): string {
    const text = this.text;
    this.text = '';
    return text;
  }
}

function makeGuest(overrides: Partial<GuestMachine> = {}, options: { alreadyUp?: boolean } = {}) {
  let now = BOOTED_AT + 125_000;
  const halts: GuestHalt[] = [];
  const machine: GuestMachine = {
    name: 'web-01',
    vcpu: 2,
    memoryMiB: 2048,
    disks: [{ sizeGiB: 20 }],
    nics: [{ switchName: 'Default Switch', macAddress: '00:15:5D:0A:0B:0C', ipAddress: '10.7.1.20' }],
    startedAt: BOOTED_AT,
    cloudInit: seed('web', [{ name: 'alice', password: 's3cret pass', sudo: true }, { name: 'bob', password: 'bobs' }]),
    imageFileName: 'ubuntu-24.04.vhdx',
    ...overrides,
  };
  const guest = new SimGuest({ machine: () => machine, stepMs: 0, clock: () => now, onHalt: (kind) => halts.push(kind), alreadyUp: options.alreadyUp ?? true });
  const screen = new Screen();
  guest.attach(screen);
  const type = (text: string) => guest.input(Buffer.from(text, 'utf8'));
  return { guest, screen, halts, type, advance: (ms: number) => (now += ms) };
}

function loggedIn(user = 'alice', password = 's3cret pass') {
  const world = makeGuest();
  world.type(`\r${user}\r${password}\r`);
  world.screen.take();
  return world;
}

describe('SimGuest', () => {
  it('boots with the kernel and systemd log, then shows /etc/issue and the login prompt with its hostname', () => {
    const { guest, screen } = makeGuest({}, { alreadyUp: false });
    expect(guest.state).toBe('off');
    guest.boot();
    const boot = screen.take();
    expect(boot).toMatch(/^\[ {4}0\.000000\] Linux version 6\.8\.0-51-generic/);
    expect(boot).toContain('smp: Brought up 1 node, 2 CPUs');
    expect(boot).toContain('systemd[1]: Hostname set to <web>.');
    expect(boot).toContain('Welcome to \x1b[1mUbuntu 24.04.1 LTS\x1b[0m!');
    expect(boot).toContain('10.7.1.20');
    expect(boot).toContain('Datasource DataSourceNoCloud [seed=/dev/sr0][dsmode=net]');
    expect(boot.endsWith('\r\nUbuntu 24.04.1 LTS web ttyS0\r\n\r\nweb login: ')).toBe(true);
    expect(guest.state).toBe('login');
  });

  it('plays the boot one step at a time when steps take time', () => {
    jest.useFakeTimers();
    try {
      const screen = new Screen();
      const guest = new SimGuest({ machine: () => ({ name: 'slow', vcpu: 1, memoryMiB: 512, disks: [], nics: [], startedAt: BOOTED_AT }), stepMs: 100, clock: () => BOOTED_AT, onHalt: () => undefined });
      guest.attach(screen);
      guest.boot();
      expect(screen.text).toContain('Linux version');
      expect(screen.text).not.toContain('login:');
      guest.input(Buffer.from('ignored\r'));
      jest.advanceTimersByTime(400);
      expect(screen.text.endsWith('slow login: ')).toBe(true);
      expect(screen.text).not.toContain('ignored');
    } finally {
      jest.useRealTimers();
    }
  });

  it('logs a user in with the password from the seed (hidden while typed) and gives a bash prompt', () => {
    const { screen, type } = makeGuest();
    type('\r');
    expect(screen.take()).toBe('\r\nweb login: ');
    type('alice\r');
    expect(screen.take()).toBe('alice\r\nPassword: ');
    type('s3cret pass\r');
    const welcome = screen.take();
    expect(welcome).not.toContain('s3cret');
    expect(welcome).toContain('Welcome to Ubuntu 24.04.1 LTS');
    expect(welcome.endsWith('alice@web:~$ ')).toBe(true);
  });

  it('refuses a wrong password and an unknown user alike, and keeps what was typed ahead', () => {
    const { screen, type } = makeGuest();
    type('\ralice\rwrong\r');
    expect(screen.take()).toBe('\r\nweb login: alice\r\nPassword: \r\nLogin incorrect\r\nweb login: ');
    type('mallory\rs3cret pass\r');
    expect(screen.take()).toBe('mallory\r\nPassword: \r\nLogin incorrect\r\nweb login: ');
    // Typed ahead in one go: name, password and a command.
    type('bob\rbobs\rwhoami\r');
    expect(screen.take()).toMatch(/bob@web:~\$ whoami\r\nbob\r\nbob@web:~\$ $/);
  });

  it('answers the usual commands like the distribution would', () => {
    const { screen, type } = loggedIn();
    const run = (line: string) => {
      type(`${line}\r`);
      return screen.take();
    };
    expect(run('hostname')).toBe('hostname\r\nweb\r\nalice@web:~$ ');
    expect(run('whoami')).toBe('whoami\r\nalice\r\nalice@web:~$ ');
    expect(run('uname -a')).toBe('uname -a\r\nLinux web 6.8.0-51-generic #52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux\r\nalice@web:~$ ');
    expect(run('ip addr')).toMatch(/2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP>.*\r\n {4}link\/ether 00:15:5d:0a:0b:0c .*inet 10\.7\.1\.20\/16 /s);
    expect(run('cloud-init status')).toBe('cloud-init status\r\nstatus: done\r\nalice@web:~$ ');
    expect(run('uptime -p')).toBe('uptime -p\r\nup 2 minutes\r\nalice@web:~$ ');
    expect(run('frobnicate --now')).toBe('frobnicate --now\r\nfrobnicate: command not found\r\nalice@web:~$ ');
  });

  it('edits the line: backspace erases a character on screen and in the command', () => {
    const { screen, type } = loggedIn();
    type('hostnaX\x7fme\r');
    expect(screen.take()).toBe('hostnaX\b \bme\r\nweb\r\nalice@web:~$ ');
    type('whoo\bami\r');
    expect(screen.take()).toContain('\r\nalice\r\n');
    type('garbage\x15whoami\r');
    expect(screen.take()).toContain('\r\nalice\r\n');
  });

  it('becomes root with sudo -i, and exit goes back to the user, then to the login prompt', () => {
    const { screen, type } = loggedIn();
    type('sudo -i\r');
    expect(screen.take().endsWith('root@web:~# ')).toBe(true);
    type('whoami\r');
    expect(screen.take()).toContain('\r\nroot\r\n');
    type('exit\r');
    expect(screen.take().endsWith('alice@web:~$ ')).toBe(true);
    type('exit\r');
    expect(screen.take()).toBe('exit\r\nlogout\r\n\r\nUbuntu 24.04.1 LTS web ttyS0\r\n\r\nweb login: ');
  });

  it('refuses sudo to a user who is not a sudoer', () => {
    const { screen, type } = loggedIn('bob', 'bobs');
    type('sudo -i\r');
    expect(screen.take()).toBe('sudo -i\r\nbob is not in the sudoers file.\r\nbob@web:~$ ');
  });

  it('poweroff and reboot print systemd going down, then ask the VM to turn off or reset', () => {
    const { guest, screen, type, halts } = loggedIn();
    type('poweroff\r');
    const down = screen.take();
    expect(down).toContain('Stopped target multi-user.target');
    expect(down.trimEnd().endsWith('reboot: Power down')).toBe(true);
    expect(halts).toEqual(['poweroff']);
    guest.powerOff();
    type('\r');
    expect(screen.take()).toBe('');

    guest.boot();
    type('alice\rs3cret pass\rreboot\r');
    expect(screen.take()).toContain('reboot: Restarting system');
    expect(halts).toEqual(['poweroff', 'reboot']);
  });

  it('a host-side shutdown prints the way down and leaves nothing to the guest to ask', () => {
    const { guest, screen, halts } = loggedIn();
    guest.shutdown();
    expect(screen.take()).toContain('reboot: Power down');
    expect(halts).toEqual([]);
  });

  it('holds typed input while paused and answers it on resume', () => {
    const { guest, screen, type } = loggedIn();
    guest.suspend();
    type('whoami\r');
    expect(screen.take()).toBe('');
    guest.resume();
    expect(screen.take()).toBe('whoami\r\nalice\r\nalice@web:~$ ');
  });

  it('streams yes until ^C, and waits while the serial line is paused', async () => {
    const { guest, screen, type } = loggedIn();
    type('yes hello\r');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(screen.text.length).toBeGreaterThan(16_000);
    screen.paused = true;
    await new Promise((resolve) => setImmediate(resolve));
    const whilePaused = screen.text.length;
    await new Promise((resolve) => setImmediate(resolve));
    expect(screen.text.length).toBe(whilePaused);
    screen.paused = false;
    guest.drain();
    await new Promise((resolve) => setImmediate(resolve));
    expect(screen.text.length).toBeGreaterThan(whilePaused);
    type('\x03');
    expect(screen.text.endsWith('^C\r\nalice@web:~$ ')).toBe(true);
    const after = screen.take();
    expect(after.split('\r\n').filter((line) => line !== 'hello' && line !== '').slice(1, -2)).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(screen.take()).toBe('');
  });

  it('uses the VM name as hostname, and no password works, without a seed', () => {
    const { screen, type } = makeGuest({ cloudInit: undefined, name: 'Web Server #1', imageFileName: 'debian-13.vhdx' });
    type('\r');
    expect(screen.take()).toBe('\r\nweb-server-1 login: ');
    type('debian\r\r');
    expect(screen.take()).toBe('debian\r\nPassword: \r\nLogin incorrect\r\nweb-server-1 login: ');
  });
});
