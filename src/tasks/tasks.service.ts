import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { Principal } from '../common/auth/principal';
import { ErrorCode } from '../contracts/error-code';
import { Task, TaskError, TaskKind, TaskTarget } from '../contracts/tasks';
import { EventsService } from '../events/events.service';
import { TaskListQueryDto } from './task.dto';
import { TaskDocument, TaskRecord } from './task.schemas';

export interface NewTask {
  /** Chosen by the caller so the task id can be the host job id and the quota reservation id. */
  id: string;
  tenantId: string;
  kind: TaskKind;
  target: TaskTarget;
  hostId: string | null;
  requestedBy: Principal;
}

/** Which tasks a caller may see: a tenant's own, or (no tenantId) every tenant's. */
export interface TaskScope {
  tenantId?: string;
}

/** Whoever owns a kind of task removes its queued work; false when it already started. */
export type TaskCanceller = (task: TaskDocument) => Promise<boolean>;

const UNFINISHED = { $in: ['queued', 'running'] };

/** User-visible records of asynchronous work: what was asked, how far it got, how it ended. */
@Injectable()
export class TasksService {
  private readonly cancellers = new Map<string, TaskCanceller>();

  constructor(
    @InjectModel(TaskRecord.name) private readonly tasks: Model<TaskRecord>,
    private readonly events: EventsService,
  ) {}

  registerCanceller(kinds: readonly TaskKind[], canceller: TaskCanceller): void {
    for (const kind of kinds) this.cancellers.set(kind, canceller);
  }

  async create(input: NewTask): Promise<Task> {
    const task = await this.tasks.create({
      _id: new Types.ObjectId(input.id),
      tenantId: new Types.ObjectId(input.tenantId),
      kind: input.kind,
      target: { ...input.target, id: new Types.ObjectId(input.target.id) },
      hostId: input.hostId ? new Types.ObjectId(input.hostId) : null,
      requestedBy: { type: input.requestedBy.scope === 'admin' ? 'admin' : 'user', id: input.requestedBy.id, email: input.requestedBy.email },
    });
    return this.announce('task.created', task);
  }

  async markRunning(id: string): Promise<void> {
    await this.change(id, { status: 'queued' }, { $set: { status: 'running', startedAt: new Date() } });
  }

  async progress(id: string, percent: number, message?: string): Promise<void> {
    const update = message ? { $set: { progress: percent }, $push: { steps: { at: new Date(), message } } } : { $set: { progress: percent } };
    await this.change(id, { status: UNFINISHED }, update);
  }

  async succeed(id: string, message?: string): Promise<void> {
    await this.finish(id, 'succeeded', null, message);
  }

  async fail(id: string, error: TaskError): Promise<void> {
    await this.finish(id, 'failed', error, `Failed: ${error.message}`);
  }

  async markCancelled(id: string, message: string): Promise<void> {
    await this.finish(id, 'cancelled', null, message);
  }

  async find(id: string): Promise<TaskDocument | null> {
    return Types.ObjectId.isValid(id) ? this.tasks.findById(id) : null;
  }

  async get(id: string, scope: TaskScope): Promise<Task> {
    return toTask(await this.findInScope(id, scope), scope);
  }

  async list(query: TaskListQueryDto, scope: TaskScope): Promise<{ items: Task[]; total: number }> {
    const filter: FilterQuery<TaskRecord> = {};
    if (scope.tenantId) filter.tenantId = new Types.ObjectId(scope.tenantId);
    else if (query.tenantId) filter.tenantId = new Types.ObjectId(query.tenantId);
    if (query.status) filter.status = query.status;
    if (query.kind) filter.kind = query.kind;
    if (query.targetId) filter['target.id'] = new Types.ObjectId(query.targetId);
    const [records, total] = await Promise.all([
      this.tasks.find(filter).sort({ createdAt: -1, _id: -1 }).skip(query.offset).limit(query.limit),
      this.tasks.countDocuments(filter),
    ]);
    return { items: records.map((record) => toTask(record, scope)), total };
  }

  /** Only queued work can be cancelled: once a host runs it, it runs to its end. */
  async cancel(id: string, scope: TaskScope): Promise<Task> {
    const task = await this.findInScope(id, scope);
    const notCancellable = () =>
      new AppException(HttpStatus.CONFLICT, ErrorCode.TaskNotCancellable, `Task ${id} is ${task.status}; only queued tasks can be cancelled`);
    if (task.status !== 'queued') throw notCancellable();
    const canceller = this.cancellers.get(task.kind);
    if (!canceller || !(await canceller(task))) throw notCancellable();
    return this.get(id, scope);
  }

  private async findInScope(id: string, scope: TaskScope): Promise<TaskDocument> {
    const task = await this.find(id);
    if (!task || (scope.tenantId && task.tenantId.toHexString() !== scope.tenantId)) throw AppException.notFound('Task');
    return task;
  }

  private async finish(id: string, status: 'succeeded' | 'failed' | 'cancelled', error: TaskError | null, message?: string): Promise<void> {
    const now = new Date();
    await this.change(
      id,
      { status: UNFINISHED },
      {
        $set: { status, error, progress: status === 'succeeded' ? 100 : undefined, finishedAt: now },
        ...(message ? { $push: { steps: { at: now, message } } } : {}),
      },
    );
  }

  /** Applies an update when the task is still in the expected state, then tells the listeners; false when nothing changed. */
  private async change(id: string, expected: FilterQuery<TaskRecord>, update: Record<string, unknown>): Promise<boolean> {
    const set = update.$set as Record<string, unknown> | undefined;
    if (set) for (const key of Object.keys(set)) if (set[key] === undefined) delete set[key];
    const task = await this.tasks.findOneAndUpdate({ _id: id, ...expected }, update, { new: true });
    if (!task) return false;
    this.announce('task.updated', task);
    return true;
  }

  private announce(type: 'task.created' | 'task.updated', task: TaskDocument): Task {
    const view = toTask(task, { tenantId: task.tenantId.toHexString() });
    void this.events.publish({ type, tenantId: view.tenantId, data: view });
    return view;
  }
}

/** Tenants see neither the host nor who the administrator was; admins see everything. */
export function toTask(task: TaskDocument, scope: TaskScope): Task & { hostId?: string | null } {
  const view: Task & { hostId?: string | null } = {
    id: task.id as string,
    kind: task.kind,
    status: task.status,
    progress: task.progress,
    steps: task.steps.map((step) => ({ at: step.at.toISOString(), message: step.message })),
    error: task.error ? { code: task.error.code, message: task.error.message } : null,
    target: { type: task.target.type, id: task.target.id.toHexString(), name: task.target.name },
    tenantId: task.tenantId.toHexString(),
    requestedBy: {
      type: task.requestedBy.type,
      email: scope.tenantId && task.requestedBy.type === 'admin' ? null : task.requestedBy.email,
    },
    createdAt: task.createdAt.toISOString(),
    startedAt: task.startedAt?.toISOString() ?? null,
    finishedAt: task.finishedAt?.toISOString() ?? null,
  };
  if (!scope.tenantId) view.hostId = task.hostId?.toHexString() ?? null;
  return view;
}
