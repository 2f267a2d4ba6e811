import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { TASK_KINDS, TASK_STATUSES, TaskKind, TaskStatus } from '../contracts/tasks';

@Schema({ _id: false })
export class TaskStepRecord {
  @Prop({ required: true }) at: Date;
  @Prop({ required: true }) message: string;
}

@Schema({ _id: false })
export class TaskErrorRecord {
  @Prop({ required: true }) code: string;
  @Prop({ required: true }) message: string;
}

@Schema({ _id: false })
export class TaskTargetRecord {
  @Prop({ type: String, required: true, enum: ['vm'] }) type: 'vm';
  @Prop({ type: Types.ObjectId, required: true }) id: Types.ObjectId;
  @Prop({ required: true }) name: string;
}

@Schema({ _id: false })
export class TaskRequesterRecord {
  @Prop({ type: String, required: true, enum: ['admin', 'user'] }) type: 'admin' | 'user';
  @Prop({ required: true }) id: string;
  @Prop({ required: true }) email: string;
}

@Schema({ collection: 'tasks', timestamps: { createdAt: true, updatedAt: false } })
export class TaskRecord {
  @Prop({ type: Types.ObjectId, required: true }) tenantId: Types.ObjectId;
  @Prop({ type: String, required: true, enum: TASK_KINDS }) kind: TaskKind;
  @Prop({ type: String, required: true, enum: TASK_STATUSES, default: 'queued' }) status: TaskStatus;
  @Prop({ required: true, default: 0 }) progress: number;
  @Prop({ type: [SchemaFactory.createForClass(TaskStepRecord)], default: [] }) steps: TaskStepRecord[];
  @Prop({ type: SchemaFactory.createForClass(TaskErrorRecord), default: null }) error: TaskErrorRecord | null;
  @Prop({ type: SchemaFactory.createForClass(TaskTargetRecord), required: true }) target: TaskTargetRecord;
  /** Where the work runs; admins see it, tenants do not. */
  @Prop({ type: Types.ObjectId, default: null }) hostId: Types.ObjectId | null;
  @Prop({ type: SchemaFactory.createForClass(TaskRequesterRecord), required: true }) requestedBy: TaskRequesterRecord;
  @Prop({ type: Date, default: null }) startedAt: Date | null;
  @Prop({ type: Date, default: null }) finishedAt: Date | null;
  createdAt: Date;
}
export type TaskDocument = HydratedDocument<TaskRecord>;
export const TaskSchema = SchemaFactory.createForClass(TaskRecord);
TaskSchema.index({ tenantId: 1, createdAt: -1 });
TaskSchema.index({ status: 1 });
TaskSchema.index({ 'target.id': 1 });
