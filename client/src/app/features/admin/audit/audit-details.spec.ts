import { auditDetailsText, formatBytes, formatDuration } from './audit-details';

describe('auditDetailsText', () => {
  it('tells a console session by its mode, length and traffic', () => {
    const details = { readOnly: false, durationMs: 3_723_000, bytesFromBrowser: 1536, bytesToBrowser: 3 * 1024 * 1024, endReason: 'client-closed' };
    expect(auditDetailsText({ action: 'console.session', details })).toBe('interactive · 1h 2m 3s · 1.5 KB typed · 3.0 MB shown · ended: client-closed');
  });

  it('lists the fields of any other action', () => {
    expect(auditDetailsText({ action: 'tenant.suspend', details: { reason: 'unpaid', by: { id: 1 } } })).toBe('reason: unpaid · by: {"id":1}');
  });

  it('formats sizes and durations for people', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(50 * 1024)).toBe('50 KB');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(61_000)).toBe('1m 1s');
  });
});
