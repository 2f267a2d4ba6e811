import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildNoCloudSeedIso, CloudInitSeed, SEED_ISO_FILE_NAME } from '../../cloud-init/nocloud-seed-iso';

/** `<dataDir>/vms/<vmId>/`: the real files a simulated VM has, as its folder on a Hyper-V datastore would. */
export function simVmDir(dataDir: string, vmId: string): string {
  return join(dataDir, 'vms', vmId);
}

/** The VM's cloud-init seed: a real ISO 9660 image, the one Hyper-V would get in its DVD drive. */
export function simSeedIsoPath(dataDir: string, vmId: string): string {
  return join(simVmDir(dataDir, vmId), SEED_ISO_FILE_NAME);
}

/**
 * Synchronous like the state file's writes (see writeFileAtomicSync). Not atomic on purpose: the VM is
 * saved only after its seed is written, so a write cut short leaves a folder no saved VM owns, which
 * start-up removes, and a re-run of the job writes the file whole.
 */
export function writeSimSeedIso(dataDir: string, vmId: string, seed: CloudInitSeed): void {
  mkdirSync(simVmDir(dataDir, vmId), { recursive: true });
  writeFileSync(simSeedIsoPath(dataDir, vmId), buildNoCloudSeedIso(seed));
}

export function removeSimVmFiles(dataDir: string, vmId: string): void {
  rmSync(simVmDir(dataDir, vmId), { recursive: true, force: true });
}

/**
 * An adopted VM's folder follows its new vmId, as start-up keeps only the folders of vmIds the host has.
 * (A Hyper-V VM's folder stays where it is; the sim's folder is named after the vmId, so it must move.)
 */
export function moveSimVmFiles(dataDir: string, fromVmId: string, toVmId: string): void {
  if (!existsSync(simVmDir(dataDir, fromVmId))) return;
  // Whatever sits at the new name belongs to no VM: the vmId was checked free before the move.
  rmSync(simVmDir(dataDir, toVmId), { recursive: true, force: true });
  renameSync(simVmDir(dataDir, fromVmId), simVmDir(dataDir, toVmId));
}

/** Folders of VMs the host does not have: left by an agent killed between writing a seed and saving the VM, or after deleting it. */
export async function removeOrphanSimVmDirs(dataDir: string, vmIds: ReadonlySet<string>): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(join(dataDir, 'vms'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const orphans = entries.filter((vmId) => !vmIds.has(vmId));
  await Promise.all(orphans.map((vmId) => rm(simVmDir(dataDir, vmId), { recursive: true, force: true })));
}
