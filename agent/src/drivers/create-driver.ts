import { join } from 'node:path';
import { AgentConfig } from '../config/agent-config';
import { HostDriver } from './host-driver';
import { parseHypervConfig } from './hyperv/hyperv-driver-config';
import { HypervDriver } from './hyperv/hyperv-driver';
import { parseSimConfig } from './sim/sim-config';
import { SimDriver } from './sim/sim-driver';

/** The driver the configuration names, with its own options and its own folder in the data dir. */
export function createDriver(config: AgentConfig): HostDriver {
  switch (config.driver) {
    case 'sim':
      return new SimDriver(parseSimConfig({ ...config.sim, dataDir: join(config.dataDir, 'sim') }));
    case 'hyperv':
      return new HypervDriver(parseHypervConfig(join(config.dataDir, 'hyperv'), config.hyperv));
  }
}
