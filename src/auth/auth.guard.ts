import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AUDIENCE_KEY, PUBLIC_KEY, TENANT_ROLES_KEY, VIEWER_MAY_WRITE_KEY } from '../common/auth/auth.decorators';
import { Principal } from '../common/auth/principal';
import { AppException } from '../common/errors/app-exception';
import { Scope, TenantRole } from '../contracts/auth';
import { ErrorCode } from '../contracts/error-code';
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens.service';
import { AccessTokensService } from './access-tokens.service';
import { AuthService } from './auth.service';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one gate for every route: authenticates the bearer (session JWT or API token), resolves the
 * principal, then enforces audience, tenant role and the viewer's read-only rule. Routes that
 * declare no audience are refused, so forgetting the decorator fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly accessTokens: AccessTokensService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets: [Function, Function] = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(request);
    request.principal = principal;

    const audiences = this.reflector.getAllAndOverride<Scope[]>(AUDIENCE_KEY, targets) ?? [];
    if (!audiences.includes(principal.scope)) {
      throw AppException.forbidden(`This route does not accept ${principal.scope} credentials`, ErrorCode.WrongAudience);
    }
    if (principal.scope === 'tenant') this.authorizeTenantRole(principal, request.method, targets);
    return true;
  }

  private async authenticate(request: Request): Promise<Principal> {
    const [kind, token] = (request.headers.authorization ?? '').split(' ');
    if (kind?.toLowerCase() !== 'bearer' || !token) {
      throw AppException.unauthenticated('Send a bearer token in the Authorization header');
    }
    if (token.startsWith(API_TOKEN_PREFIX)) {
      const match = await this.apiTokens.authenticate(token);
      if (!match) throw AppException.unauthenticated('API token is invalid, expired or revoked', ErrorCode.InvalidToken);
      return this.auth.resolvePrincipal(match);
    }
    const ref = await this.accessTokens.verify(token);
    if (!ref) throw AppException.unauthenticated('Access token is invalid or expired', ErrorCode.InvalidToken);
    return this.auth.resolvePrincipal(ref);
  }

  private authorizeTenantRole(principal: Principal, method: string, targets: [Function, Function]): void {
    const role = principal.role as TenantRole;
    const allowed = this.reflector.getAllAndOverride<TenantRole[]>(TENANT_ROLES_KEY, targets);
    if (allowed && !allowed.includes(role)) {
      throw AppException.forbidden(`This action needs the ${allowed.join(' or ')} role`);
    }
    if (role === 'viewer' && !READ_METHODS.has(method) && !this.reflector.getAllAndOverride<boolean>(VIEWER_MAY_WRITE_KEY, targets)) {
      throw AppException.forbidden('Viewers have read-only access', ErrorCode.ReadOnly);
    }
  }
}
