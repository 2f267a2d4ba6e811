import type { VmSize } from '@contracts/vms';

export interface VmSizePreset extends VmSize {
  id: 'small' | 'medium' | 'large';
  label: string;
}

/** Starting points for the size of a new VM; the disk grows to the image's minimum when that is larger. */
export const VM_SIZE_PRESETS: readonly VmSizePreset[] = [
  { id: 'small', label: 'Small', vcpu: 1, memoryMiB: 1024, diskGiB: 20 },
  { id: 'medium', label: 'Medium', vcpu: 2, memoryMiB: 4096, diskGiB: 40 },
  { id: 'large', label: 'Large', vcpu: 4, memoryMiB: 8192, diskGiB: 80 },
];

/** The preset a size matches, given the image's smallest disk. */
export function presetOf(size: VmSize, minDiskGiB: number): VmSizePreset['id'] | 'custom' {
  const match = VM_SIZE_PRESETS.find((preset) => preset.vcpu === size.vcpu && preset.memoryMiB === size.memoryMiB && Math.max(preset.diskGiB, minDiskGiB) === size.diskGiB);
  return match?.id ?? 'custom';
}
