import { Transform } from 'class-transformer';
import { IsDateString, IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AdminRole, ApiToken, CreateApiTokenRequest, CreatedApiToken, Me, Scope, TenantRole, TokenPair } from '../contracts/auth';

const normalizeEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class AdminLoginDto {
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class TenantLoginDto extends AdminLoginDto {
  /** The tenant's slug. */
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'tenant must be a tenant slug' })
  tenant: string;
}

export class RefreshTokenDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken: string;
}

export class TokenPairDto implements TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
  tokenType: 'Bearer';
}

export class MeTenantDto {
  id: string;
  slug: string;
  name: string;
}

export class MeDto implements Me {
  id: string;
  email: string;
  scope: Scope;
  role: AdminRole | TenantRole;
  tenant?: MeTenantDto;
}

export class CreateApiTokenDto implements CreateApiTokenRequest {
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** ISO 8601 date in the future; omit for a token that does not expire. */
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}

export class ApiTokenDto implements ApiToken {
  id: string;
  name: string;
  /** The first characters of the token, to recognise it in lists. */
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export class CreatedApiTokenDto extends ApiTokenDto implements CreatedApiToken {
  /** The secret token; shown only in this response. */
  token: string;
}
