import { ActionParams } from '../../../../src/contracts/agent-protocol';
import { DriverError } from '../host-driver';

export type CloudInitSeed = NonNullable<ActionParams<'vm.create'>['cloudInit']>;

/**
 * Writes a VM's NoCloud seed (an ISO 9660 image labelled CIDATA holding meta-data, user-data and
 * network-config) to `path`, which is `<dataDir>\seeds\<vmId>.iso` so vm-delete finds it, and answers
 * the path written. vm-create attaches it as a DVD and removes it again if the create fails.
 */
export type SeedIsoWriter = (request: { vmId: string; seed: CloudInitSeed; path: string }) => Promise<string>;

/** Until the agent can build ISO images, a create with cloud-init fails clearly instead of booting an unconfigured VM. */
export const seedIsoWriterNotImplemented: SeedIsoWriter = async ({ vmId }) => {
  throw new DriverError('INTERNAL', `NOT_IMPLEMENTED: the hyperv driver cannot write cloud-init seed ISOs yet, so VM ${vmId} was not created`);
};
