import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal } from '../common/auth/auth.decorators';
import { TenantPrincipal } from '../common/auth/principal';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { TaskDto, TaskListQueryDto, TaskPageDto } from './task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Audience('tenant')
@Controller('api/v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** The tenant's tasks, newest first (completed ones stay). */
  @Get()
  list(@CurrentPrincipal() principal: TenantPrincipal, @Query() query: TaskListQueryDto): Promise<TaskPageDto> {
    return this.tasks.list(query, { tenantId: principal.tenant.id });
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', ParseObjectIdPipe) id: string): Promise<TaskDto> {
    return this.tasks.get(id, { tenantId: principal.tenant.id });
  }

  /** Cancel a task that has not started yet (409 TASK_NOT_CANCELLABLE otherwise); its quota hold is released. */
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() principal: TenantPrincipal, @Param('id', ParseObjectIdPipe) id: string): Promise<TaskDto> {
    return this.tasks.cancel(id, { tenantId: principal.tenant.id });
  }
}

@ApiTags('admin: tasks')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/tasks')
export class AdminTasksController {
  constructor(private readonly tasks: TasksService) {}

  /** Every tenant's tasks, newest first; filter with tenantId, status, kind, targetId. */
  @Get()
  list(@Query() query: TaskListQueryDto): Promise<TaskPageDto> {
    return this.tasks.list(query, {});
  }

  @Get(':id')
  get(@Param('id', ParseObjectIdPipe) id: string): Promise<TaskDto> {
    return this.tasks.get(id, {});
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', ParseObjectIdPipe) id: string): Promise<TaskDto> {
    return this.tasks.cancel(id, {});
  }
}
