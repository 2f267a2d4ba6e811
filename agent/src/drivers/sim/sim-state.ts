import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ActionParamsSchemas, VM_ID_PATTERN } from '../../../../src/contracts/agent-protocol';
import { writeFileAtomicSync } from './write-file-atomic-sync';

/** The states a VM rests in between actions; Hyper-V's transitional states only exist while an action runs. */
export const SETTLED_VM_STATES = ['off', 'running', 'paused', 'saved'] as const;
export type SettledVmState = (typeof SETTLED_VM_STATES)[number];

const SimDiskSchema = z.object({ path: z.string(), sizeGiB: z.number().nonnegative(), usedGiB: z.number().nonnegative() });
const SimNicSchema = z.object({ switchName: z.string().nullable(), macAddress: z.string(), ipAddress: z.string() });

export const SimVmRecordSchema = z.object({
  hypervisorId: z.string().min(1),
  name: z.string(),
  /**
   * The control plane's VM id, the sim's stand-in for the `openhvx:<vmId>` marker in a Hyper-V VM's notes.
   * A VM made outside OpenHVX (written into sim-host.json by hand, as an operator makes one in Hyper-V
   * Manager) has none until vm.adopt gives it one.
   */
  openhvxVmId: z.string().regex(VM_ID_PATTERN).optional(),
  state: z.enum(SETTLED_VM_STATES),
  generation: z.union([z.literal(1), z.literal(2)]),
  vcpu: z.number().int().positive(),
  memoryMiB: z.number().int().positive(),
  datastore: z.string(),
  /** The image the VM's disk was made from (absent for VMs made outside OpenHVX): the guest behaves like that distribution. */
  imageFileName: z.string().optional(),
  disks: z.array(SimDiskSchema),
  /** `ipAddress` is the lease the guest gets once booted; it is only reported while the VM is on. */
  nics: z.array(SimNicSchema),
  /** When the VM last booted (epoch ms); null while off or saved. Uptime and IP reporting derive from it. */
  startedAt: z.number().nullable(),
  /**
   * The NoCloud seed the guest was configured from; the serial console takes its users and password
   * hashes from here. A clone made without a seed of its own inherits its source's (but not its ISO):
   * its disk is a copy, so it holds the accounts that seed made.
   */
  cloudInit: ActionParamsSchemas['vm.create'].shape.cloudInit,
});
export type SimVmRecord = z.infer<typeof SimVmRecordSchema>;
export type SimDisk = z.infer<typeof SimDiskSchema>;
export type SimNic = z.infer<typeof SimNicSchema>;

/** Hyper-V refuses a second VM with the same id, and the scripts refuse a marker two VMs carry; so does the sim, at start. */
function requireUniqueIds(vms: SimVmRecord[], ctx: z.RefinementCtx): void {
  const hypervisorIds = new Set<string>();
  const vmIds = new Set<string>();
  for (const vm of vms) {
    const hypervisorId = vm.hypervisorId.toLowerCase();
    if (hypervisorIds.has(hypervisorId)) ctx.addIssue({ code: 'custom', message: `two VMs have hypervisorId ${vm.hypervisorId}` });
    hypervisorIds.add(hypervisorId);
    if (vm.openhvxVmId === undefined) continue;
    if (vmIds.has(vm.openhvxVmId)) ctx.addIssue({ code: 'custom', message: `two VMs carry openhvxVmId ${vm.openhvxVmId}` });
    vmIds.add(vm.openhvxVmId);
  }
}

const SimHostFileSchema = z.object({ version: z.literal(1), vms: z.array(SimVmRecordSchema).superRefine(requireUniqueIds) });
type SimHostFile = z.infer<typeof SimHostFileSchema>;

export const SIM_STATE_FILE = 'sim-host.json';

/** Reads and writes `<dataDir>/sim-host.json`: the VMs actions have committed. */
export class SimStateStore {
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly snapshot: () => SimVmRecord[],
  ) {
    this.file = join(dataDir, SIM_STATE_FILE);
  }

  async load(): Promise<SimVmRecord[]> {
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // Refusing to start beats silently overwriting a host's VMs with an empty list.
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      throw new Error(`${this.file} is not valid JSON; fix or remove it`);
    }
    const result = SimHostFileSchema.safeParse(data);
    if (!result.success) throw new Error(`${this.file} is not a valid sim host state: ${result.error.issues[0].message}`);
    return result.data.vms;
  }

  save(): void {
    const body: SimHostFile = { version: 1, vms: this.snapshot() };
    writeFileAtomicSync(this.file, JSON.stringify(body));
  }
}
