/** What tells the simulated guests of different images apart on the serial line. */
export interface GuestFlavour {
  /** `PRETTY_NAME` of /etc/os-release. */
  readonly prettyName: string;
  /** `uname -r`. */
  readonly kernelRelease: string;
  /** `uname -v`. */
  readonly kernelVersion: string;
  /** Who built the kernel with what, as the first line of the boot log says. */
  readonly kernelBuilder: string;
  readonly kernelCommandLine: string;
  /** Whether `uname -a` names the processor and hardware platform (Debian's and Red Hat's leave them out). */
  readonly unameNamesProcessor: boolean;
  /** The distribution's cloud-init default user (`system_info.default_user.name`), or null when the image has none. */
  readonly defaultUser: string | null;
  /** The group whose members may use sudo. */
  readonly sudoGroup: { name: string; gid: number };
  readonly systemdVersion: string;
  readonly cloudInitVersion: string;
  /** /etc/issue as agetty prints it before the login prompt. */
  issue(hostname: string): string;
  /** What login prints once the password is accepted. */
  motd: readonly string[];
}

const UBUNTU: GuestFlavour = {
  prettyName: 'Ubuntu 24.04.1 LTS',
  kernelRelease: '6.8.0-51-generic',
  kernelVersion: '#52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024',
  kernelBuilder: '(buildd@lcy02-amd64-091) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42)',
  kernelCommandLine: 'BOOT_IMAGE=/vmlinuz-6.8.0-51-generic root=LABEL=cloudimg-rootfs ro console=tty1 console=ttyS0',
  unameNamesProcessor: true,
  defaultUser: 'ubuntu',
  sudoGroup: { name: 'sudo', gid: 27 },
  systemdVersion: '255.4-1ubuntu8.4',
  cloudInitVersion: '24.4-0ubuntu1~24.04.2',
  issue: (hostname) => `Ubuntu 24.04.1 LTS ${hostname} ttyS0`,
  motd: [
    'Welcome to Ubuntu 24.04.1 LTS (GNU/Linux 6.8.0-51-generic x86_64)',
    '',
    ' * Documentation:  https://help.ubuntu.com',
    ' * Management:     https://landscape.canonical.com',
    ' * Support:        https://ubuntu.com/pro',
    '',
  ],
};

const DEBIAN: GuestFlavour = {
  prettyName: 'Debian GNU/Linux 13 (trixie)',
  kernelRelease: '6.12.38+deb13-cloud-amd64',
  kernelVersion: '#1 SMP PREEMPT_DYNAMIC Debian 6.12.38-1 (2025-07-16)',
  kernelBuilder: '(debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0, GNU ld (GNU Binutils for Debian) 2.44)',
  kernelCommandLine: 'BOOT_IMAGE=/boot/vmlinuz-6.12.38+deb13-cloud-amd64 root=PARTUUID=5a3c9f1e-02 ro console=tty0 console=ttyS0,115200 earlyprintk=ttyS0,115200',
  unameNamesProcessor: false,
  defaultUser: 'debian',
  sudoGroup: { name: 'sudo', gid: 27 },
  systemdVersion: '257.7-1',
  cloudInitVersion: '25.1.4-1',
  issue: (hostname) => `Debian GNU/Linux 13 ${hostname} ttyS0`,
  motd: [
    'Linux {hostname} 6.12.38+deb13-cloud-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.12.38-1 (2025-07-16) x86_64',
    '',
    'The programs included with the Debian GNU/Linux system are free software;',
    'the exact distribution terms for each program are described in the',
    'individual files in /usr/share/doc/*/copyright.',
    '',
    'Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent',
    'permitted by applicable law.',
  ],
};

const ROCKY: GuestFlavour = {
  prettyName: 'Rocky Linux 10.0 (Red Quartz)',
  kernelRelease: '6.12.0-55.12.1.el10_0.x86_64',
  kernelVersion: '#1 SMP PREEMPT_DYNAMIC Wed May 28 00:23:55 UTC 2025',
  kernelBuilder: '(mockbuild@iad1-prod-build001.bld.equ.rockylinux.org) (gcc (GCC) 14.2.1 20250110 (Red Hat 14.2.1-7), GNU ld version 2.41-53.el10)',
  kernelCommandLine: 'BOOT_IMAGE=(hd0,gpt2)/vmlinuz-6.12.0-55.12.1.el10_0.x86_64 root=LABEL=rocky ro console=tty0 console=ttyS0,115200n8 no_timer_check',
  unameNamesProcessor: false,
  defaultUser: 'rocky',
  sudoGroup: { name: 'wheel', gid: 10 },
  systemdVersion: '257-9.el10_0.1.rocky.0.1',
  cloudInitVersion: '24.4-4.el10_0.rocky.0.1',
  issue: () => 'Rocky Linux 10.0 (Red Quartz)\r\nKernel 6.12.0-55.12.1.el10_0.x86_64 on x86_64',
  motd: [],
};

/** An image the sim knows nothing about: a plain Linux without a distribution default user. */
const GENERIC: GuestFlavour = {
  prettyName: 'Linux',
  kernelRelease: '6.6.58',
  kernelVersion: '#1 SMP PREEMPT_DYNAMIC Mon Oct 28 12:00:00 UTC 2024',
  kernelBuilder: '(builder@localhost) (gcc (GCC) 13.2.0, GNU ld (GNU Binutils) 2.42)',
  kernelCommandLine: 'BOOT_IMAGE=/boot/vmlinuz-6.6.58 root=/dev/sda1 ro console=tty0 console=ttyS0,115200n8',
  unameNamesProcessor: false,
  defaultUser: null,
  sudoGroup: { name: 'sudo', gid: 27 },
  systemdVersion: '256.7',
  cloudInitVersion: '24.4',
  issue: (hostname) => `Linux ${hostname} ttyS0`,
  motd: [],
};

const BY_IMAGE: readonly [RegExp, GuestFlavour][] = [
  [/ubuntu/i, UBUNTU],
  [/debian/i, DEBIAN],
  [/rocky|alma|rhel|centos/i, ROCKY],
];

/** The flavour an image's file name suggests (`ubuntu-24.04.vhdx` → Ubuntu); generic when it names no known distribution. */
export function guestFlavour(imageFileName: string | undefined): GuestFlavour {
  if (imageFileName === undefined) return GENERIC;
  return BY_IMAGE.find(([pattern]) => pattern.test(imageFileName))?.[1] ?? GENERIC;
}

/** The motd with the hostname filled in (Debian's first line is `uname -a` without the trailing GNU/Linux). */
export function motdFor(flavour: GuestFlavour, hostname: string): string[] {
  return flavour.motd.map((line) => line.replace('{hostname}', hostname));
}
