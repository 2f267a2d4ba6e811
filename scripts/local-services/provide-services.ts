import { provideMongo, type MongoService } from './provide-mongo';
import { provideRedis, type RedisService } from './provide-redis';

export interface LocalServices {
  mongo: MongoService;
  redis: RedisService;
  /** Stops what was started, in reverse order. */
  stop(): Promise<void>;
}

export interface ProvideServicesOptions {
  dataDir: string;
  log: (message: string) => void;
  signal?: AbortSignal;
  /** Where MONGODB_URI and REDIS_URL are read. Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The one place that chooses between the servers given by MONGODB_URI / REDIS_URL and local ones
 * started under `dataDir`.
 */
export async function provideServices({ dataDir, log, signal, env = process.env }: ProvideServicesOptions): Promise<LocalServices> {
  if (env.MONGODB_URI) log('MongoDB: using MONGODB_URI');
  const mongo = await provideMongo({ dataDir, log, signal, uri: env.MONGODB_URI || undefined });
  let redis: RedisService;
  try {
    if (env.REDIS_URL) log('Redis: using REDIS_URL');
    redis = await provideRedis({ dataDir, log, signal, url: env.REDIS_URL || undefined });
  } catch (error) {
    await mongo.stop();
    throw error;
  }
  return {
    mongo,
    redis,
    stop: async () => {
      await redis.stop();
      await mongo.stop();
    },
  };
}
