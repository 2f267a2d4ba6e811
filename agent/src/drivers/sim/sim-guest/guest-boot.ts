import { GuestFlavour } from './guest-flavour';
import { ciInfoNetDevices, GuestNic } from './guest-network';

/** What the boot log mentions about the machine it boots on. */
export interface BootFacts {
  readonly flavour: GuestFlavour;
  readonly hostname: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  readonly nics: readonly GuestNic[];
  /** Whether a NoCloud seed is in the DVD drive. */
  readonly seeded: boolean;
  /** Wall-clock time of power-on (epoch ms), for cloud-init's timestamps. */
  readonly poweredOnAt: number;
}

const OK = '[\x1b[0;32m  OK  \x1b[0m]';

/** A kernel log line as the console shows it: `[    2.104512] …`. */
export function kernelLine(seconds: number, message: string): string {
  return `[${seconds.toFixed(6).padStart(12)}] ${message}`;
}

/**
 * What a cloud image prints on ttyS0 from power-on to its login prompt, in groups printed one after the
 * other: the kernel, the drivers, systemd, cloud-init's network stage, then the services and cloud-init's
 * final stage. The login prompt itself is the getty's (see issueAndLogin).
 */
export function bootMessages(facts: BootFacts): string[][] {
  const { flavour } = facts;
  const totalKiB = facts.memoryMiB * 1024;
  const sectors = facts.diskGiB * 2_097_152;
  const cloudInit = (seconds: number, pid: number, message: string) => kernelLine(seconds, `cloud-init[${pid}]: ${message}`);
  const at = (seconds: number) => new Date(facts.poweredOnAt + seconds * 1000).toUTCString().replace('GMT', '+0000');
  const cloudInitVersion = `Cloud-init v. ${flavour.cloudInitVersion}`;
  const datasource = facts.seeded ? 'DataSourceNoCloud [seed=/dev/sr0][dsmode=net]' : 'DataSourceNone';

  return [
    [
      kernelLine(0, `Linux version ${flavour.kernelRelease} ${flavour.kernelBuilder} ${flavour.kernelVersion}`),
      kernelLine(0, `Command line: ${flavour.kernelCommandLine}`),
      kernelLine(0, 'Hypervisor detected: Microsoft Hyper-V'),
      kernelLine(0, 'DMI: Microsoft Corporation Virtual Machine/Virtual Machine, BIOS Hyper-V UEFI Release v4.1 04/04/2024'),
      kernelLine(0.010437, `Memory: ${Math.round(totalKiB * 0.95)}K/${totalKiB}K available`),
      kernelLine(0.101203, `smp: Brought up 1 node, ${facts.vcpu} CPU${facts.vcpu === 1 ? '' : 's'}`),
    ],
    [
      kernelLine(0.412310, 'hv_vmbus: Vmbus version:5.3'),
      kernelLine(1.020334, 'scsi 0:0:0:0: Direct-Access     Msft     Virtual Disk     1.0  PQ: 0 ANSI: 5'),
      kernelLine(1.204511, `sd 0:0:0:0: [sda] ${sectors} 512-byte logical blocks: (${(facts.diskGiB * 1.073741824).toFixed(1)} GB/${facts.diskGiB}.0 GiB)`),
      kernelLine(1.530220, 'hv_vmbus: registering driver hv_netvsc'),
      kernelLine(2.101877, 'EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.'),
    ],
    [
      kernelLine(2.412345, `systemd[1]: systemd ${flavour.systemdVersion} running in system mode (+PAM +AUDIT +SELINUX +SECCOMP +OPENSSL +ACL +BLKID +CURL +KMOD +TPM2 +ZSTD default-hierarchy=unified)`),
      kernelLine(2.413101, 'systemd[1]: Detected virtualization microsoft.'),
      kernelLine(2.413120, 'systemd[1]: Detected architecture x86-64.'),
      kernelLine(2.415501, `systemd[1]: Hostname set to <${facts.hostname}>.`),
      '',
      `Welcome to \x1b[1m${flavour.prettyName}\x1b[0m!`,
      '',
      `${OK} Created slice system-serial\\x2dgetty.slice - Slice /system/serial-getty.`,
      `${OK} Reached target local-fs.target - Local File Systems.`,
      `${OK} Started systemd-journald.service - Journal Service.`,
      `${OK} Started systemd-udevd.service - Rule-based Manager for Device Events and Files.`,
      `${OK} Finished cloud-init-local.service - Cloud-init: Local Stage (pre-network).`,
      `${OK} Started systemd-networkd.service - Network Configuration.`,
      `${OK} Reached target network.target - Network.`,
    ],
    [
      cloudInit(5.104113, 612, `${cloudInitVersion} running 'init' at ${at(5)}. Up 5.10 seconds.`),
      ...ciInfoNetDevices(facts.nics).map((line) => cloudInit(5.215304, 612, line)),
      `${OK} Finished cloud-init.service - Cloud-init: Network Stage.`,
      `${OK} Reached target cloud-config.target - Cloud-config availability.`,
      `${OK} Reached target network-online.target - Network is Online.`,
    ],
    [
      `${OK} Started ssh.service - OpenBSD Secure Shell server.`,
      `${OK} Started serial-getty@ttyS0.service - Serial Getty on ttyS0.`,
      `${OK} Reached target getty.target - Login Prompts.`,
      `${OK} Reached target multi-user.target - Multi-User System.`,
      '         Starting cloud-final.service - Execute cloud user/final scripts...',
      cloudInit(9.802114, 890, `${cloudInitVersion} running 'modules:final' at ${at(9)}. Up 9.80 seconds.`),
      cloudInit(9.913550, 890, `${cloudInitVersion} finished at ${at(9)}. Datasource ${datasource}.  Up 9.91 seconds`),
      `${OK} Finished cloud-final.service - Execute cloud user/final scripts.`,
      `${OK} Reached target cloud-init.target - Cloud-init target.`,
    ],
  ];
}

/** What systemd prints on the way down, ending with the kernel's last words. */
export function shutdownMessages(kind: 'poweroff' | 'reboot', uptimeSeconds: number): string[][] {
  const [unit, description, last] =
    kind === 'poweroff' ? ['systemd-poweroff.service', 'System Power Off', 'reboot: Power down'] : ['systemd-reboot.service', 'System Reboot', 'reboot: Restarting system'];
  return [
    [
      `${OK} Removed slice system-modprobe.slice - Slice /system/modprobe.`,
      `${OK} Stopped target cloud-init.target - Cloud-init target.`,
      `${OK} Stopped target multi-user.target - Multi-User System.`,
      '         Stopping serial-getty@ttyS0.service - Serial Getty on ttyS0...',
      '         Stopping ssh.service - OpenBSD Secure Shell server...',
      `${OK} Stopped serial-getty@ttyS0.service - Serial Getty on ttyS0.`,
      `${OK} Stopped ssh.service - OpenBSD Secure Shell server.`,
    ],
    [
      `${OK} Stopped systemd-networkd.service - Network Configuration.`,
      `${OK} Reached target umount.target - Unmount All Filesystems.`,
      `${OK} Reached target shutdown.target - System Shutdown.`,
      `${OK} Reached target final.target - Late Shutdown Services.`,
      `${OK} Finished ${unit} - ${description}.`,
      `${OK} Reached target ${kind}.target - ${description}.`,
    ],
    [kernelLine(uptimeSeconds + 0.102345, last)],
  ];
}

/** What agetty prints when it (re)starts on ttyS0: /etc/issue, then the login prompt. */
export function issueAndLogin(flavour: GuestFlavour, hostname: string): string {
  return `\r\n${flavour.issue(hostname)}\r\n\r\n${loginPrompt(hostname)}`;
}

export function loginPrompt(hostname: string): string {
  return `${hostname} login: `;
}
