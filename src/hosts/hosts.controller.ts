import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Audience, Public } from '../common/auth/auth.decorators';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { ZodBodyPipe } from '../common/http/zod-body.pipe';
import { openApiSchemaOf } from '../common/http/zod-openapi';
import { EnrollRequest, EnrollRequestSchema, EnrollResponse } from '../contracts/agent-protocol';
import { CreatedHostDto, CreateHostDto, DeleteHostQueryDto, EnrollmentDto, HostDto, HostInventoryDto, HostPageDto, UpdateHostDto } from './host.dto';
import { HostsService } from './hosts.service';

@ApiTags('admin: hosts')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/hosts')
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  /** Register a host; the answer carries the one-time enrollment token and the agent command to run on it. */
  @Post()
  create(@Body() body: CreateHostDto): Promise<CreatedHostDto> {
    return this.hosts.create(body);
  }

  @Get()
  list(@Query() query: PaginationQueryDto): Promise<HostPageDto> {
    return this.hosts.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseObjectIdPipe) id: string): Promise<HostDto> {
    return this.hosts.get(id);
  }

  /** Rename a host or switch maintenance mode. */
  @Patch(':id')
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() body: UpdateHostDto): Promise<HostDto> {
    return this.hosts.update(id, body);
  }

  /** Revoke the agent's credential, close its connection and remove the host (409 while it runs managed VMs, unless force=true). */
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseObjectIdPipe) id: string, @Query() query: DeleteHostQueryDto): Promise<void> {
    return this.hosts.remove(id, query.force ?? false);
  }

  /** Issue a fresh enrollment token (earlier unused ones stop working). */
  @Post(':id/enrollment')
  reissueEnrollment(@Param('id', ParseObjectIdPipe) id: string): Promise<EnrollmentDto> {
    return this.hosts.reissueEnrollment(id);
  }

  /** The last inventory the host's agent reported. */
  @Get(':id/inventory')
  inventory(@Param('id', ParseObjectIdPipe) id: string): Promise<HostInventoryDto> {
    return this.hosts.getInventory(id);
  }
}

@ApiTags('agent')
@Public()
@Controller('api/v1/agent')
export class AgentEnrollmentController {
  constructor(private readonly hosts: HostsService) {}

  /** An agent exchanges its one-time enrollment token for its long-lived credential. */
  @Post('enroll')
  @HttpCode(200)
  @ApiBody({ schema: openApiSchemaOf(EnrollRequestSchema) })
  enroll(@Body(new ZodBodyPipe(EnrollRequestSchema)) body: EnrollRequest): Promise<EnrollResponse> {
    return this.hosts.enroll(body);
  }
}
