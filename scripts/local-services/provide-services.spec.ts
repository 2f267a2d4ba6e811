import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import { provideServices } from './provide-services';

// Starts real local servers under a temp dir (builds FerretDB first if this machine has no mongod and no FerretDB yet).
const log = () => {};
let dataDir: string;
beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'provide-services-'))));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function portIsClosed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => done(!socket.destroy()));
    socket.once('error', () => done(true));
  });
}

it('uses MONGODB_URI and REDIS_URL as given, without starting anything', async () => {
  const services = await provideServices({ dataDir, log, env: { MONGODB_URI: 'mongodb://db.example:27017/x', REDIS_URL: 'redis://cache.example:6379' } });
  expect(services).toMatchObject({ mongo: { kind: 'external', uri: 'mongodb://db.example:27017/x' }, redis: { kind: 'external', url: 'redis://cache.example:6379' } });
  await services.stop();
});

describe('provideServices (local servers)', () => {
  it('serves unique indexes and duplicate-key errors, persists data, and stops everything', async () => {
    const first = await provideServices({ dataDir, log, env: {} });
    expect(first.mongo.kind).not.toBe('external');
    expect(first.redis.kind).toBe('redis-server');
    const client = await new mongoose.mongo.MongoClient(first.mongo.uri).connect();
    const users = client.db().collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'a@example.test' });
    await expect(users.insertOne({ email: 'a@example.test' })).rejects.toMatchObject({ code: 11000 });
    await users.updateOne({ email: 'a@example.test' }, { $set: { name: 'A' } });
    await client.close();
    const redis = new Redis(first.redis.url);
    await redis.set('key', 'value');
    await redis.quit();
    await first.stop();
    expect(await portIsClosed(first.mongo.uri)).toBe(true);
    expect(await portIsClosed(first.redis.url)).toBe(true);

    const second = await provideServices({ dataDir, log, env: {} });
    try {
      const again = await new mongoose.mongo.MongoClient(second.mongo.uri).connect();
      expect(await again.db().collection('users').findOne({}, { projection: { _id: 0 } })).toEqual({ email: 'a@example.test', name: 'A' });
      await again.close();
      const redisAgain = new Redis(second.redis.url);
      expect(await redisAgain.get('key')).toBe('value');
      await redisAgain.quit();
    } finally {
      await second.stop();
    }
  }, 300_000); // a first FerretDB build takes minutes
});
