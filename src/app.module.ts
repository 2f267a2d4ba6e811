import { DynamicModule, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { LoggerModule } from 'nestjs-pino';
import { AgentGatewayModule } from './agent-gateway/agent-gateway.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { AppLogger } from './common/logging/app-logger';
import { assignRequestId } from './common/http/request-id';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { DemoModule } from './demo/demo.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { HostsModule } from './hosts/hosts.module';
import { ImagesModule } from './images/images.module';
import { QuotasModule } from './quotas/quotas.module';
import { RedisModule } from './redis/redis.module';
import { TasksModule } from './tasks/tasks.module';
import { TenantsModule } from './tenants/tenants.module';
import { VmsModule } from './vms/vms.module';

/** Unique indexes carry correctness (slugs, token rotation), so serve nothing before they exist. */
@Injectable()
class IndexesReady implements OnApplicationBootstrap {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(Object.values(this.connection.models).map((model) => model.init()));
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: assignRequestId,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
            autoLogging: { ignore: (req) => req.url === '/api/health/live' || req.url === '/metrics' },
          },
        }),
        MongooseModule.forRoot(config.mongoUri, { serverSelectionTimeoutMS: 5_000 }),
        EventEmitterModule.forRoot(),
        CommonModule,
        RedisModule,
        HealthModule,
        QuotasModule,
        TenantsModule,
        AuthModule,
        DemoModule,
        HostsModule,
        AgentGatewayModule,
        TasksModule,
        VmsModule,
        EventsModule,
        ImagesModule,
        AuditModule,
        ConsoleModule,
      ],
      providers: [IndexesReady, AppLogger, { provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
