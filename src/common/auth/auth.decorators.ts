import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { Scope, TenantRole } from '../../contracts/auth';
import { Principal } from './principal';

export const PUBLIC_KEY = 'openhvx:public';
export const AUDIENCE_KEY = 'openhvx:audience';
export const TENANT_ROLES_KEY = 'openhvx:tenant-roles';
export const VIEWER_MAY_WRITE_KEY = 'openhvx:viewer-may-write';

/** No authentication (login, refresh, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Which token audiences may call these routes; routes without it are refused (fail closed). */
export const Audience = (...scopes: Scope[]) => SetMetadata(AUDIENCE_KEY, scopes);

/** Tenant roles allowed on these routes (admins are not affected). */
export const TenantRoles = (...roles: TenantRole[]) => SetMetadata(TENANT_ROLES_KEY, roles);

/**
 * Viewers are read-only everywhere; this marks the few mutations that only touch the caller's
 * own credentials (API tokens), which a viewer still needs for read-only automation.
 */
export const ViewerMayWrite = () => SetMetadata(VIEWER_MAY_WRITE_KEY, true);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<Request & { principal: Principal }>().principal;
});
