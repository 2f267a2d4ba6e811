import { SimNic } from '../sim-state';

/** A NIC as the guest sees it: Hyper-V's synthetic adapter, named by the kernel in order. */
export interface GuestNic {
  readonly name: string;
  /** Lower-case, as Linux prints it. */
  readonly mac: string;
  /** The DHCP lease; null when the adapter is on no switch (no carrier). */
  readonly ip: string | null;
}

/** The sim hands out leases from a /16 per host (10.<host>.x.y). */
const PREFIX_LENGTH = 16;
const LEASE_SECONDS = 86_400;

export function guestNics(nics: readonly SimNic[]): GuestNic[] {
  return nics.map((nic, index) => ({ name: `eth${index}`, mac: nic.macAddress.toLowerCase(), ip: nic.switchName === null ? null : nic.ipAddress }));
}

/** `ip addr`, as iproute2 prints it on a guest with a DHCP lease on each connected NIC. */
export function ipAddr(nics: readonly GuestNic[], uptimeSeconds: number): string[] {
  const lease = LEASE_SECONDS - (uptimeSeconds % LEASE_SECONDS);
  const lines = [
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    '    inet 127.0.0.1/8 scope host lo',
    '       valid_lft forever preferred_lft forever',
    '    inet6 ::1/128 scope host noprefixroute ',
    '       valid_lft forever preferred_lft forever',
  ];
  nics.forEach((nic, index) => {
    const up = nic.ip !== null;
    lines.push(
      `${index + 2}: ${nic.name}: <${up ? 'BROADCAST,MULTICAST,UP,LOWER_UP' : 'NO-CARRIER,BROADCAST,MULTICAST,UP'}> mtu 1500 qdisc mq state ${up ? 'UP' : 'DOWN'} group default qlen 1000`,
      `    link/ether ${nic.mac} brd ff:ff:ff:ff:ff:ff`,
    );
    if (nic.ip === null) return;
    lines.push(
      `    inet ${nic.ip}/${PREFIX_LENGTH} metric 100 brd ${broadcast(nic.ip)} scope global dynamic ${nic.name}`,
      `       valid_lft ${lease}sec preferred_lft ${lease}sec`,
      `    inet6 ${linkLocal(nic.mac)}/64 scope link `,
      '       valid_lft forever preferred_lft forever',
    );
  });
  return lines;
}

/** `ip route`: the default route through the first connected NIC's gateway (.0.1 of its /16). */
export function ipRoute(nics: readonly GuestNic[]): string[] {
  const lines: string[] = [];
  nics.forEach((nic, index) => {
    if (nic.ip === null) return;
    const metric = 100 * (index + 1);
    const gateway = `${network(nic.ip).split('.').slice(0, 3).join('.')}.1`;
    if (lines.length === 0) lines.push(`default via ${gateway} dev ${nic.name} proto dhcp src ${nic.ip} metric ${metric} `);
    lines.push(`${network(nic.ip)}/${PREFIX_LENGTH} dev ${nic.name} proto kernel scope link src ${nic.ip} metric ${metric} `);
    lines.push(`${gateway} dev ${nic.name} proto dhcp scope link src ${nic.ip} metric ${metric} `);
  });
  return lines;
}

/** cloud-init's `ci-info` table of network devices, as it logs it to the console at its network stage. */
export function ciInfoNetDevices(nics: readonly GuestNic[]): string[] {
  const rows = [
    ...nics.flatMap((nic) =>
      nic.ip === null
        ? [[nic.name, 'False', '.', '.', '.', nic.mac]]
        : [
            [nic.name, 'True', nic.ip, '255.255.0.0', 'global', nic.mac],
            [nic.name, 'True', `${linkLocal(nic.mac)}/64`, '.', 'link', nic.mac],
          ],
    ),
    ['lo', 'True', '127.0.0.1', '255.0.0.0', 'host', '.'],
    ['lo', 'True', '::1/128', '.', 'host', '.'],
  ];
  return table('Net device info', ['Device', 'Up', 'Address', 'Mask', 'Scope', 'Hw-Address'], rows).map((line) => `ci-info: ${line}`);
}

/** A PrettyTable with centred cells and a title bar, the format of cloud-init's ci-info tables. */
function table(title: string, header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)) + 2);
  const rule = `+${widths.map((width) => '-'.repeat(width)).join('+')}+`;
  const line = (cells: string[]) => `|${cells.map((cell, column) => centre(cell, widths[column])).join('|')}|`;
  const titleBar = centre(title, rule.length, '+');
  return [titleBar, rule, line(header), rule, ...rows.map(line), rule];
}

function centre(text: string, width: number, fill = ' '): string {
  const left = Math.floor((width - text.length) / 2);
  return `${fill.repeat(left)}${text}${fill.repeat(width - text.length - left)}`;
}

function network(ip: string): string {
  const [a, b] = ip.split('.');
  return `${a}.${b}.0.0`;
}

function broadcast(ip: string): string {
  const [a, b] = ip.split('.');
  return `${a}.${b}.255.255`;
}

/** The EUI-64 link-local address the kernel derives from the MAC. */
function linkLocal(mac: string): string {
  const bytes = mac.split(':').map((part) => parseInt(part, 16));
  const eui = [bytes[0] ^ 0x02, bytes[1], bytes[2], 0xff, 0xfe, bytes[3], bytes[4], bytes[5]];
  const groups = [0, 2, 4, 6].map((at) => ((eui[at] << 8) | eui[at + 1]).toString(16));
  return `fe80::${groups.join(':')}`;
}
