import { ActionParams } from '../../../src/contracts/agent-protocol';
import { buildIso9660Image, IsoFile } from './iso9660-image';

/** The files of a NoCloud seed, as vm.create and vm.clone carry them. */
export type CloudInitSeed = NonNullable<ActionParams<'vm.create'>['cloudInit']>;

/** cloud-init's NoCloud datasource looks for a filesystem with this label (it also accepts `cidata`). */
export const NOCLOUD_VOLUME_ID = 'CIDATA';

/** The file name of a VM's seed ISO in its folder, for both drivers. */
export const SEED_ISO_FILE_NAME = 'cidata.iso';

/**
 * The seed as an ISO image labelled CIDATA holding `meta-data`, `user-data` and, when given,
 * `network-config`, under those exact names in its Joliet directory (text as UTF-8). The same seed
 * always gives the same bytes, so a re-run job writes an identical file.
 */
export function buildNoCloudSeedIso(seed: CloudInitSeed): Buffer {
  const files: IsoFile[] = [
    { name: 'meta-data', content: Buffer.from(seed.metaData, 'utf8') },
    { name: 'user-data', content: Buffer.from(seed.userData, 'utf8') },
  ];
  if (seed.networkConfig !== undefined) files.push({ name: 'network-config', content: Buffer.from(seed.networkConfig, 'utf8') });
  return buildIso9660Image({ volumeId: NOCLOUD_VOLUME_ID, files });
}
