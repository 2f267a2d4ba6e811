/** A host as placement sees it: what it has, and what its VMs (placed or in flight) already claim. */
export interface PlacementHost {
  id: string;
  name: string;
  cpuCores: number;
  memoryMiB: number;
  /** Free space per datastore as last reported. */
  datastoreFreeGiB: number[];
  imageFiles: ReadonlySet<string>;
  /** vCPUs and memory of every VM on the host (managed or not), whatever its power state: each may start. */
  claimedVcpu: number;
  claimedMemoryMiB: number;
  /** Disks of VMs being created there that the reported free space does not show yet. */
  inFlightDiskGiB: number;
}

export interface PlacementRequest {
  vcpu: number;
  memoryMiB: number;
  diskGiB: number;
  imageFileName: string;
}

export interface PlacementPolicy {
  /** vCPUs per physical core. */
  cpuOvercommit: number;
  /** Memory kept for the host itself (the root partition). */
  memoryReserveMiB: number;
}

export type PlacementRefusal = 'no-host' | 'no-image' | 'no-room';
export type PlacementResult = { host: PlacementHost } | { refusal: PlacementRefusal };

/**
 * Picks the host with the most headroom left after taking the VM (the tighter of CPU and memory),
 * which spreads load rather than packing it. Only hosts with the image and room for every resource
 * qualify.
 */
export function choosePlacement(request: PlacementRequest, hosts: readonly PlacementHost[], policy: PlacementPolicy): PlacementResult {
  if (hosts.length === 0) return { refusal: 'no-host' };
  const withImage = hosts.filter((host) => host.imageFiles.has(request.imageFileName));
  if (withImage.length === 0) return { refusal: 'no-image' };
  let best: { host: PlacementHost; headroom: number } | undefined;
  for (const host of withImage) {
    const headroom = headroomAfter(request, host, policy);
    if (headroom === null) continue;
    if (!best || headroom > best.headroom || (headroom === best.headroom && host.name < best.host.name)) best = { host, headroom };
  }
  return best ? { host: best.host } : { refusal: 'no-room' };
}

/** The smaller of the CPU and memory fractions left free after placing the VM, or null when it does not fit. */
export function headroomAfter(request: PlacementRequest, host: PlacementHost, policy: PlacementPolicy): number | null {
  const vcpuCapacity = host.cpuCores * policy.cpuOvercommit;
  const memoryCapacity = host.memoryMiB - policy.memoryReserveMiB;
  const vcpuLeft = vcpuCapacity - host.claimedVcpu - request.vcpu;
  const memoryLeft = memoryCapacity - host.claimedMemoryMiB - request.memoryMiB;
  const roomiestDatastore = Math.max(0, ...host.datastoreFreeGiB);
  const storageLeft = roomiestDatastore - host.inFlightDiskGiB - request.diskGiB;
  if (vcpuLeft < 0 || memoryLeft < 0 || storageLeft < 0) return null;
  return Math.min(vcpuLeft / vcpuCapacity, memoryLeft / memoryCapacity);
}
