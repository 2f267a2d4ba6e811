import { HttpStatus, Injectable } from '@nestjs/common';
import { Principal } from '../common/auth/principal';
import { AppException } from '../common/errors/app-exception';
import { ErrorCode } from '../contracts/error-code';
import { TenantMember, TenantUsersService } from '../tenants/tenant-users.service';
import { AccessTokensService } from './access-tokens.service';
import { AdminsService } from './admins.service';
import { AdminLoginDto, MeDto, TenantLoginDto, TokenPairDto } from './auth.dto';
import { LoginRateLimiter } from './login-rate-limiter';
import { PrincipalRef } from './principal-ref';
import { RefreshTokensService } from './refresh-tokens.service';

const invalidCredentials = () => new AppException(HttpStatus.UNAUTHORIZED, ErrorCode.InvalidCredentials, 'Invalid email or password');

@Injectable()
export class AuthService {
  constructor(
    private readonly admins: AdminsService,
    private readonly tenantUsers: TenantUsersService,
    private readonly accessTokens: AccessTokensService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly rateLimiter: LoginRateLimiter,
  ) {}

  async adminLogin(input: AdminLoginDto, ip: string): Promise<TokenPairDto> {
    const admin = await this.rateLimiter.guard(ip, `admin:${input.email}`, () => this.admins.verifyCredentials(input.email, input.password));
    if (!admin) throw invalidCredentials();
    return this.startSession({ scope: 'admin', userId: admin.id as string });
  }

  async tenantLogin(input: TenantLoginDto, ip: string): Promise<TokenPairDto> {
    const member = await this.rateLimiter.guard(ip, `tenant:${input.tenant}:${input.email}`, () =>
      this.tenantUsers.verifyCredentials(input.tenant, input.email, input.password),
    );
    if (!member) throw invalidCredentials();
    assertActive(member);
    return this.startSession({ scope: 'tenant', userId: member.user.id as string, tenantId: member.tenant.id as string });
  }

  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const current = await this.refreshTokens.findUsable(refreshToken);
    // Checked before rotating: a suspended tenant's session resumes with the same token once reactivated.
    await this.resolvePrincipal(current.ref);
    return this.pair(current.ref, await this.refreshTokens.rotate(current));
  }

  logout(refreshToken: string): Promise<void> {
    return this.refreshTokens.revoke(refreshToken);
  }

  /**
   * Looks the principal up again on every request, so deleting a user or suspending a tenant
   * takes effect at once rather than when the access token expires.
   */
  async resolvePrincipal(ref: PrincipalRef): Promise<Principal> {
    if (ref.scope === 'admin') {
      const admin = await this.admins.findById(ref.userId);
      if (!admin) throw AppException.unauthenticated('The account behind this token no longer exists', ErrorCode.InvalidToken);
      return { id: admin.id as string, email: admin.email, scope: 'admin', role: admin.role };
    }
    const member = ref.tenantId ? await this.tenantUsers.findMember(ref.tenantId, ref.userId) : null;
    if (!member) throw AppException.unauthenticated('The account behind this token no longer exists', ErrorCode.InvalidToken);
    assertActive(member);
    const { user, tenant } = member;
    return {
      id: user.id as string,
      email: user.email,
      scope: 'tenant',
      role: user.role,
      tenant: { id: tenant.id as string, slug: tenant.slug, name: tenant.name },
    };
  }

  me(principal: Principal): MeDto {
    const { id, email, scope, role, tenant } = principal;
    return { id, email, scope, role, ...(tenant ? { tenant } : {}) };
  }

  private async startSession(ref: PrincipalRef): Promise<TokenPairDto> {
    return this.pair(ref, await this.refreshTokens.issue(ref));
  }

  private async pair(ref: PrincipalRef, refreshToken: string): Promise<TokenPairDto> {
    return { accessToken: await this.accessTokens.sign(ref), refreshToken, expiresIn: this.accessTokens.ttlSeconds, tokenType: 'Bearer' };
  }
}

function assertActive(member: TenantMember): void {
  if (member.tenant.status !== 'active') {
    throw AppException.forbidden(`Tenant '${member.tenant.slug}' is suspended`, ErrorCode.TenantSuspended);
  }
}
