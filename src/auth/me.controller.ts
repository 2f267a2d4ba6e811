import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal } from '../common/auth/auth.decorators';
import { Principal } from '../common/auth/principal';
import { MeDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@ApiBearerAuth()
@Audience('admin', 'tenant')
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly auth: AuthService) {}

  /** Who the bearer token belongs to. */
  @Get()
  me(@CurrentPrincipal() principal: Principal): MeDto {
    return this.auth.me(principal);
  }
}
