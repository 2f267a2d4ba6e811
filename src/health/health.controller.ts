import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/auth/auth.decorators';
import { MetricsService } from './metrics.service';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongooseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly metrics: MetricsService,
  ) {}

  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @Get('api/health/live')
  live() {
    return { status: 'ok' };
  }

  @ApiOperation({ summary: 'Readiness: MongoDB and Redis answer (503 when either is down)' })
  @Get('api/health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.mongo.pingCheck('mongodb', { timeout: 1_500 }), () => this.redis.pingCheck('redis')]);
  }

  @ApiOperation({ summary: 'Prometheus metrics' })
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
