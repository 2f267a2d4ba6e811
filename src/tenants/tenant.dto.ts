import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { TENANT_ROLES, TenantRole } from '../contracts/auth';
import { CreateTenantRequest, CreateTenantUserRequest, Page, Tenant, TENANT_STATUSES, TenantStatus, TenantUser, UpdateTenantRequest } from '../contracts/tenants';
import { QuotaLimitsDto } from '../quotas/quota.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const normalizeEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateTenantDto implements CreateTenantRequest {
  /** Lowercase letters, digits and dashes, 2–40 characters; used at login. */
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'slug must be 2-40 lowercase letters, digits or dashes' })
  slug: string;

  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}

export class UpdateTenantDto implements UpdateTenantRequest {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  /** Suspending locks every user of the tenant out at once. */
  @IsOptional()
  @IsIn(TENANT_STATUSES)
  status?: TenantStatus;
}

export class TenantDto implements Tenant {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  limits: QuotaLimitsDto;
  /** ISO 8601 */
  createdAt: string;
}

export class TenantPageDto implements Page<TenantDto> {
  items: TenantDto[];
  total: number;
}

export class CreateTenantUserDto implements CreateTenantUserRequest {
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** At least 12 characters. */
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;

  @IsIn(TENANT_ROLES)
  role: TenantRole;
}

export class TenantUserDto implements TenantUser {
  id: string;
  email: string;
  role: TenantRole;
  /** ISO 8601 */
  createdAt: string;
}

export class TenantUserPageDto implements Page<TenantUserDto> {
  items: TenantUserDto[];
  total: number;
}
