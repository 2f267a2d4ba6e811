import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Scope } from '../contracts/auth';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PrincipalRef } from './principal-ref';

const ISSUER = 'openhvx';

interface AccessClaims {
  sub: string;
  aud: Scope;
  tid?: string;
}

/** Short-lived signed JWTs whose audience is the scope: admin tokens and tenant tokens never mix. */
@Injectable()
export class AccessTokensService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  sign(ref: PrincipalRef): Promise<string> {
    const payload = ref.tenantId ? { tid: ref.tenantId } : {};
    return this.jwt.signAsync(payload, {
      subject: ref.userId,
      audience: ref.scope,
      issuer: ISSUER,
      expiresIn: this.ttlSeconds,
      algorithm: 'HS256',
    });
  }

  /** The principal reference of a valid token, or null for anything else (bad signature, expired, malformed). */
  async verify(token: string): Promise<PrincipalRef | null> {
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token, { issuer: ISSUER, algorithms: ['HS256'] });
      if (claims.aud === 'admin') return { scope: 'admin', userId: claims.sub };
      if (claims.aud === 'tenant' && claims.tid) return { scope: 'tenant', userId: claims.sub, tenantId: claims.tid };
      return null;
    } catch {
      return null;
    }
  }
}
