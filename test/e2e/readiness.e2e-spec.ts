import { provideRedis, RedisService } from '../../scripts/local-services/provide-redis';
import { startTestApp, tempDir, TestApp } from '../support/test-app';

/** This file runs its own Redis so it can stop it without disturbing the other tests. */
describe('GET /api/health/ready', () => {
  let redis: RedisService;
  let t: TestApp;

  beforeAll(async () => {
    redis = await provideRedis({ dataDir: tempDir('redis'), log: () => undefined });
    t = await startTestApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('is 200 while MongoDB and Redis answer, and 503 naming Redis once it stops', async () => {
    await t.http.get('/api/health/ready').expect(200);
    await redis.stop();
    const { body } = await t.http.get('/api/health/ready').expect(503);
    expect(body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', correlationId: expect.any(String) });
    expect(body.details.details.redis.status).toBe('down');
    expect(body.details.details.mongodb.status).toBe('up');
    await t.http.get('/api/health/live').expect(200);
  });
});
