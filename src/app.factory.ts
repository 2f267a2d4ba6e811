import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AGENT_WS_PATH, AgentUpgradeAuthenticator } from './agent-gateway/agent.gateway';
import { AppModule } from './app.module';
import { AdminLoginHint, AdminsService } from './auth/admins.service';
import { jsonBody } from './common/http/json-body.middleware';
import { assignRequestId } from './common/http/request-id';
import { ErrorBodyDto } from './common/http/error-body.dto';
import { createValidationPipe } from './common/http/validation';
import { AppLogger } from './common/logging/app-logger';
import { serveWebClient } from './common/http/web-client';
import { UpgradeAuthWsAdapter } from './common/ws/upgrade-auth-ws.adapter';
import { ConsoleAccessService } from './console/console-access.service';
import { CONSOLE_WS_PATH } from './contracts/console';
import { AppConfig } from './config/app-config';
import { DemoLoginHint, DemoSeedService } from './demo/demo-seed.service';

function assignRequestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  assignRequestId(request, response);
  next();
}

/** Builds the fully configured app (used by main.ts and by the e2e tests, so both run the same thing). */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(AppLogger));
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // Served over plain HTTP by npm start, so requests must not be upgraded to HTTPS; a TLS proxy adds HSTS.
  app.use(assignRequestIdMiddleware, helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }), jsonBody(config.http.bodyLimit));
  if (!serveWebClient(app, config.webDir)) app.get(AppLogger).debug(`No web client at ${config.webDir} (build it with npm run build): serving the API only`);
  app.useGlobalPipes(createValidationPipe());
  const agentUpgrade = app.get(AgentUpgradeAuthenticator);
  const consoleAccess = app.get(ConsoleAccessService);
  app.useWebSocketAdapter(
    new UpgradeAuthWsAdapter(
      app,
      new Map([
        [AGENT_WS_PATH, (request) => agentUpgrade.authenticate(request)],
        [CONSOLE_WS_PATH, (request) => consoleAccess.authenticateUpgrade(request)],
      ]),
    ),
  );
  app.enableShutdownHooks();
  setUpOpenApi(app);
  await app.init();
  return app;
}

function setUpOpenApi(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('OpenHVX API')
      .setDescription(
        'Control plane for multi-tenant Hyper-V clouds. Admin routes (`/api/v1/admin/**`) take admin tokens; ' +
          'tenant routes take tenant tokens; `me` and `api-tokens` take both. Errors are `{statusCode, code, message, details?, correlationId}`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or ohx_ API token' })
      .build(),
    { extraModels: [ErrorBodyDto] },
  );
  documentErrorAnswers(document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });
}

/** Every operation can fail with the one error shape; say so once instead of on every handler. */
function documentErrorAnswers(document: OpenAPIObject): void {
  const error = { description: 'Error (see `code`)', content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } } };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation) operation.responses = { ...operation.responses, default: error };
    }
  }
}

export interface StartupLogins {
  admin: AdminLoginHint;
  demo: DemoLoginHint | null;
  demoHosts: string[];
}

/** First-boot data: the bootstrap admin and, unless disabled, the demo tenant and hosts. Idempotent. */
export async function seedStartupData(app: NestExpressApplication): Promise<StartupLogins> {
  const admin = await app.get(AdminsService).ensureBootstrapAdmin();
  const demoSeed = app.get(DemoSeedService);
  return { admin, demo: await demoSeed.ensureDemoTenant(), demoHosts: await demoSeed.ensureDemoHosts() };
}
