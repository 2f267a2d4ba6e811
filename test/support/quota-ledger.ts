import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { Connection, Types } from 'mongoose';
import { loadConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { QuotaAmounts } from '../../src/contracts/quotas';
import { QuotasModule } from '../../src/quotas/quotas.module';
import { QuotasService } from '../../src/quotas/quotas.service';
import { serviceEnv, withDatabase } from './test-app';

const NONE: QuotaAmounts = { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 };

/**
 * Gives a tenant usage the way finished work leaves it in the ledger (a charge for `committed`, a
 * hold for `held`), bypassing the limits, so tests can set up usage before the API that makes it.
 * The hold is left unprojected, as after a crash: the read model must pick it up by itself.
 */
export async function recordUsage(connection: Connection, tenantId: string, committed: QuotaAmounts, held: QuotaAmounts = NONE): Promise<void> {
  const ledger = connection.collection('quota_ledger');
  const tenant = new Types.ObjectId(tenantId);
  const latest = await ledger.find({ tenantId: tenant }).sort({ seq: -1 }).limit(1).next();
  const before = { seq: (latest?.seq as number) ?? 0, committed: (latest?.committed as QuotaAmounts) ?? NONE, held: (latest?.held as QuotaAmounts) ?? NONE };
  const entry = (seq: number, op: 'charge' | 'hold', delta: QuotaAmounts, totals: { committed: QuotaAmounts; held: QuotaAmounts }) => {
    const reservationId = `recorded-${randomBytes(6).toString('hex')}`;
    const expiresAt = op === 'hold' ? new Date(Date.now() + 600_000) : null;
    return { tenantId: tenant, seq, opKey: `${reservationId}:open`, op, reservationId, delta, kind: 'test.usage', description: 'Recorded by a test', taskId: null, expiresAt, forced: true, projected: op === 'charge', createdAt: new Date(), ...totals };
  };
  const committedAfter = add(before.committed, committed);
  await ledger.insertOne(entry(before.seq + 1, 'charge', committed, { committed: committedAfter, held: before.held }));
  if (Object.values(held).some((amount) => amount !== 0)) {
    await ledger.insertOne(entry(before.seq + 2, 'hold', held, { committed: committedAfter, held: add(before.held, held) }));
  }
}

function add(a: QuotaAmounts, b: QuotaAmounts): QuotaAmounts {
  return { vcpu: a.vcpu + b.vcpu, memoryMiB: a.memoryMiB + b.memoryMiB, storageGiB: a.storageGiB + b.storageGiB, vms: a.vms + b.vms };
}

export interface QuotaReplicas {
  /** One QuotasService per simulated server replica, each with its own connection (and in-process queue). */
  replicas: QuotasService[];
  /** A connection of the first replica, to inspect the stored documents. */
  connection: Connection;
  close(): Promise<void>;
}

/** N independent quota modules on one fresh database, as N server replicas would run them. */
export async function startQuotaReplicas(count: number, env: Record<string, string> = {}): Promise<QuotaReplicas> {
  const { mongoUri, redisUrl } = serviceEnv();
  const uri = withDatabase(mongoUri, `openhvx_quota_${randomBytes(5).toString('hex')}`);
  const config = loadConfig({ NODE_ENV: 'test', MONGODB_URI: uri, REDIS_URL: redisUrl, JWT_SECRET: randomBytes(32).toString('hex'), ...env });
  const modules = await Promise.all(
    Array.from({ length: count }, () =>
      Test.createTestingModule({ imports: [ConfigModule.forRoot(config), EventEmitterModule.forRoot(), MongooseModule.forRoot(uri), QuotasModule] }).compile(),
    ),
  );
  const connection = modules[0].get<Connection>(getConnectionToken());
  await Promise.all(Object.values(connection.models).map((model) => model.init()));
  return {
    replicas: modules.map((module) => module.get(QuotasService)),
    connection,
    async close() {
      await connection.dropDatabase().catch(() => undefined);
      await Promise.all(modules.map((module) => module.close()));
    },
  };
}
