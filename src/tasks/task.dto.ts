import { IsIn, IsMongoId, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { Task, TASK_KINDS, TASK_STATUSES, TaskError, TaskKind, TaskRequester, TaskStatus, TaskStep, TaskTarget } from '../contracts/tasks';

export class TaskListQueryDto extends PaginationQueryDto {
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @IsOptional()
  @IsIn(TASK_KINDS)
  kind?: TaskKind;

  /** Only tasks about this VM. */
  @IsOptional()
  @IsMongoId()
  targetId?: string;

  /** Admins only: one tenant's tasks. */
  @IsOptional()
  @IsMongoId()
  tenantId?: string;
}

export class TaskStepDto implements TaskStep {
  at: string;
  message: string;
}

export class TaskErrorDto implements TaskError {
  code: string;
  message: string;
}

export class TaskTargetDto implements TaskTarget {
  type: 'vm';
  id: string;
  name: string;
}

export class TaskRequesterDto implements TaskRequester {
  type: 'admin' | 'user';
  email: string | null;
}

export class TaskDto implements Task {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  progress: number;
  steps: TaskStepDto[];
  error: TaskErrorDto | null;
  target: TaskTargetDto;
  tenantId: string;
  requestedBy: TaskRequesterDto;
  /** Admins only. */
  hostId?: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export class TaskPageDto {
  items: TaskDto[];
  total: number;
}
