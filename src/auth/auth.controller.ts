import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../common/auth/auth.decorators';
import { AdminLoginDto, RefreshTokenDto, TenantLoginDto, TokenPairDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Public()
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Log in as a platform administrator. */
  @Post('admin/login')
  @HttpCode(200)
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_REQUESTS, with Retry-After' })
  adminLogin(@Body() body: AdminLoginDto, @Req() request: Request): Promise<TokenPairDto> {
    return this.auth.adminLogin(body, request.ip ?? 'unknown');
  }

  /** Log in as a user of a tenant (`tenant` is the tenant's slug). */
  @Post('tenant/login')
  @HttpCode(200)
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_REQUESTS, with Retry-After' })
  tenantLogin(@Body() body: TenantLoginDto, @Req() request: Request): Promise<TokenPairDto> {
    return this.auth.tenantLogin(body, request.ip ?? 'unknown');
  }

  /** Exchange a refresh token for a new pair; a reused refresh token revokes its whole family. */
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  /** End the session the refresh token belongs to. */
  @Post('logout')
  @HttpCode(204)
  logout(@Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }
}
