import { Inject, Injectable, Logger } from '@nestjs/common';
import { join } from 'node:path';
import { AppException } from '../common/errors/app-exception';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { generatePassword, readSecretFile, writeSecretFile } from '../config/secret-file';
import { ErrorCode } from '../contracts/error-code';
import { TenantDto } from '../tenants/tenant.dto';
import { TenantUsersService } from '../tenants/tenant-users.service';
import { TenantsService } from '../tenants/tenants.service';
import { HostsService } from '../hosts/hosts.service';
import { CreateImageDto } from '../images/image.dto';
import { ImagesService } from '../images/images.service';

export const DEMO_TENANT_SLUG = 'demo';
export const DEMO_OWNER_EMAIL = 'owner@demo.local';

/** Where `npm start` finds the demo hosts it should run (one agent data dir each). */
export const DEMO_HOSTS_MANIFEST = join('demo-hosts', 'manifest.json');

export interface DemoHostsManifest {
  hosts: Array<{ name: string; dataDir: string; enrollToken: string | null }>;
}

/** The images in the sim driver's library (SIM_DEFAULTS in agent/src/drivers/sim/sim-config.ts), with their cloud images' usual users. */
export const DEMO_IMAGES: readonly CreateImageDto[] = [
  { name: 'ubuntu-24.04', fileName: 'ubuntu-24.04.vhdx', defaultUser: 'ubuntu', minDiskGiB: 10, os: 'linux', generation: 2, cloudInit: true, visibility: 'public' },
  { name: 'rocky-10', fileName: 'rocky-10.vhdx', defaultUser: 'rocky', minDiskGiB: 10, os: 'linux', generation: 2, cloudInit: true, visibility: 'public' },
  { name: 'debian-13', fileName: 'debian-13.vhdx', defaultUser: 'debian', minDiskGiB: 8, os: 'linux', generation: 2, cloudInit: true, visibility: 'public' },
];

export interface DemoLoginHint {
  tenant: string;
  email: string;
  password: string | null;
}

/** Seeds the `demo` tenant and its owner so a fresh `npm start` can be tried at once. */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly tenants: TenantsService,
    private readonly users: TenantUsersService,
    private readonly hosts: HostsService,
    private readonly images: ImagesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Registers the demo's simulated hosts (sim-01…) and writes the manifest `npm start` reads to run
   * their agents; a host not yet enrolled gets a fresh one-time token in it.
   */
  async ensureDemoHosts(): Promise<string[]> {
    const names = Array.from({ length: this.config.demoHosts }, (_, i) => `sim-${String(i + 1).padStart(2, '0')}`);
    const manifest: DemoHostsManifest = { hosts: [] };
    for (const name of names) {
      const enrollment = await this.hosts.pendingEnrollmentFor(name);
      manifest.hosts.push({ name, dataDir: join(this.config.dataDir, 'demo-hosts', name), enrollToken: enrollment?.token ?? null });
    }
    writeSecretFile(join(this.config.dataDir, DEMO_HOSTS_MANIFEST), JSON.stringify(manifest, null, 2));
    return names;
  }

  /** Also registers the public images the demo hosts carry. Null when the demo is switched off (OPENHVX_DEMO=0). */
  async ensureDemoTenant(): Promise<DemoLoginHint | null> {
    if (!this.config.demo) return null;
    for (const image of DEMO_IMAGES) await this.images.ensureExists(image);
    const passwordFile = join(this.config.dataDir, 'demo-password');
    const existing = () => ({ tenant: DEMO_TENANT_SLUG, email: DEMO_OWNER_EMAIL, password: readSecretFile(passwordFile) });
    if (await this.tenants.findBySlug(DEMO_TENANT_SLUG)) return existing();
    const password = generatePassword();
    let tenant: TenantDto;
    try {
      tenant = await this.tenants.create({ slug: DEMO_TENANT_SLUG, name: 'Demo' });
    } catch (error) {
      if (error instanceof AppException && error.code === ErrorCode.Conflict) return existing(); // another replica seeded it
      throw error;
    }
    await this.users.create(tenant.id, { email: DEMO_OWNER_EMAIL, password, role: 'owner' });
    writeSecretFile(passwordFile, password);
    this.logger.log(`Seeded demo tenant '${DEMO_TENANT_SLUG}'`);
    return { tenant: DEMO_TENANT_SLUG, email: DEMO_OWNER_EMAIL, password };
  }
}
