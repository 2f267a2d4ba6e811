import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TenantsModule } from '../tenants/tenants.module';
import { AccessTokensService } from './access-tokens.service';
import { AdminsService } from './admins.service';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AdminRecord, AdminSchema, ApiTokenRecord, ApiTokenSchema, RefreshTokenRecord, RefreshTokenSchema } from './auth.schemas';
import { AuthService } from './auth.service';
import { CredentialCleanupListener } from './credential-cleanup.listener';
import { LoginRateLimiter } from './login-rate-limiter';
import { MeController } from './me.controller';
import { RefreshTokensService } from './refresh-tokens.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AdminRecord.name, schema: AdminSchema },
      { name: RefreshTokenRecord.name, schema: RefreshTokenSchema },
      { name: ApiTokenRecord.name, schema: ApiTokenSchema },
    ]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret }),
    }),
    TenantsModule,
  ],
  controllers: [AuthController, MeController, ApiTokensController],
  providers: [
    AdminsService,
    AccessTokensService,
    RefreshTokensService,
    ApiTokensService,
    AuthService,
    LoginRateLimiter,
    CredentialCleanupListener,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AdminsService, AuthService],
})
export class AuthModule {}
