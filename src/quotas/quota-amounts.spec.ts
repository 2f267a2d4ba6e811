import { AppException } from '../common/errors/app-exception';
import { findViolations, growingPart, quotaExceeded } from './quota-amounts';

const limits = { vcpu: 16, memoryMiB: 16_384, storageGiB: 200, vms: 5 };
const usage = (committed: number[], held: number[]) => ({
  committed: { vcpu: committed[0], memoryMiB: committed[1], storageGiB: committed[2], vms: committed[3] },
  held: { vcpu: held[0], memoryMiB: held[1], storageGiB: held[2], vms: held[3] },
});

describe(findViolations.name, () => {
  it('counts committed and held usage against each limit', () => {
    expect(findViolations(limits, usage([10, 8192, 100, 3], [4, 4096, 0, 1]), { vcpu: 4, memoryMiB: 4097, storageGiB: 100, vms: 1 })).toEqual([
      { resource: 'vcpu', limit: 16, used: 14, requested: 4 },
      { resource: 'memoryMiB', limit: 16_384, used: 12_288, requested: 4097 },
    ]);
  });

  it('lets a request fill a limit exactly', () => {
    expect(findViolations(limits, usage([12, 0, 0, 4], [0, 0, 0, 0]), { vcpu: 4, memoryMiB: 0, storageGiB: 0, vms: 1 })).toEqual([]);
  });

  it('never refuses the parts that shrink or stay, even over a lowered limit', () => {
    const over = usage([20, 20_000, 300, 6], [0, 0, 0, 0]);
    expect(findViolations(limits, over, { vcpu: -2, memoryMiB: 0, storageGiB: -10, vms: 0 })).toEqual([]);
    expect(findViolations(limits, over, { vcpu: -2, memoryMiB: 1, storageGiB: 0, vms: 0 })).toEqual([{ resource: 'memoryMiB', limit: 16_384, used: 20_000, requested: 1 }]);
  });
});

describe(quotaExceeded.name, () => {
  it('answers 422 QUOTA_EXCEEDED naming every exceeded resource with its numbers', () => {
    const violations = [
      { resource: 'vcpu' as const, limit: 16, used: 14, requested: 4 },
      { resource: 'memoryMiB' as const, limit: 16_384, used: 12_288, requested: 8192 },
      { resource: 'vms' as const, limit: 5, used: 5, requested: 1 },
    ];
    const error = quotaExceeded(violations);
    expect(error).toBeInstanceOf(AppException);
    expect(error.getStatus()).toBe(422);
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toBe(
      'Quota exceeded: vCPU limit 16 reached: 14 used, 4 requested; memory limit 16384 MiB reached: 12288 MiB used, 8192 MiB requested; VM limit 5 reached: 5 used, 1 requested',
    );
    expect(error.details).toEqual({ violations });
  });
});

describe(growingPart.name, () => {
  it('keeps only what grows', () => {
    expect(growingPart({ vcpu: 2, memoryMiB: -1024, storageGiB: 0, vms: 1 })).toEqual({ vcpu: 2, memoryMiB: 0, storageGiB: 0, vms: 1 });
  });
});
