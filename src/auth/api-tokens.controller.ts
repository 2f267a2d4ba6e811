import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal, ViewerMayWrite } from '../common/auth/auth.decorators';
import { Principal } from '../common/auth/principal';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto } from './auth.dto';
import { ApiTokensService } from './api-tokens.service';

@ApiTags('auth')
@ApiBearerAuth()
@Audience('admin', 'tenant')
@Controller('api/v1/api-tokens')
export class ApiTokensController {
  constructor(private readonly apiTokens: ApiTokensService) {}

  /** Create an API token acting as the caller; the token itself is shown only in this response. */
  @Post()
  @ViewerMayWrite()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    return this.apiTokens.create(principal, body);
  }

  /** The caller's API tokens (never the secrets). */
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<ApiTokenDto[]> {
    return this.apiTokens.list(principal);
  }

  /** Revoke one of the caller's API tokens. */
  @Delete(':id')
  @HttpCode(204)
  @ViewerMayWrite()
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    return this.apiTokens.revoke(principal, id);
  }
}
