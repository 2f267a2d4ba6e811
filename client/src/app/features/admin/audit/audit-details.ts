import type { AuditEvent, ConsoleSessionAuditDetails } from '@contracts/audit';

/** 1536 → `1.5 KB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** 3_723_000 → `1h 2m 3s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const parts = [
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ] as const;
  const shown = parts.filter(([value], i) => value > 0 || i === parts.length - 1);
  return shown.map(([value, unit]) => `${value}${unit}`).join(' ');
}

/** An audit entry's details in words: console sessions as duration and traffic, anything else as its fields. */
export function auditDetailsText(event: Pick<AuditEvent, 'action' | 'details'>): string {
  if (event.action === 'console.session') {
    const details = event.details as Partial<ConsoleSessionAuditDetails>;
    return [
      details.readOnly ? 'read-only' : 'interactive',
      details.durationMs !== undefined && formatDuration(details.durationMs),
      details.bytesFromBrowser !== undefined && `${formatBytes(details.bytesFromBrowser)} typed`,
      details.bytesToBrowser !== undefined && `${formatBytes(details.bytesToBrowser)} shown`,
      details.endReason && `ended: ${details.endReason}`,
    ]
      .filter(Boolean)
      .join(' · ');
  }
  return Object.entries(event.details)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
}
