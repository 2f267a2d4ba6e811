import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';
import { VM_STATES, VmState } from '../contracts/vms';
import type { StoredCloudInit } from './cloud-init/render-seed';

@Schema({ _id: false })
export class VmImageRef {
  @Prop({ required: true }) name: string;
  @Prop({ required: true }) fileName: string;
  @Prop({ type: Number, required: true }) generation: 1 | 2;
  @Prop({ type: String, required: true }) os: 'linux' | 'windows';
  /** Whether the image runs cloud-init, so its VMs (and their clones) get a seed. */
  @Prop({ required: true }) cloudInit: boolean;
  @Prop({ type: String, default: null }) defaultUser: string | null;
}

@Schema({ _id: false })
export class VmAmounts {
  @Prop({ required: true }) vcpu: number;
  @Prop({ required: true }) memoryMiB: number;
  @Prop({ required: true }) storageGiB: number;
  @Prop({ required: true }) vms: number;
}

@Schema({ collection: 'vms', timestamps: true })
export class VmRecord {
  @Prop({ type: Types.ObjectId, required: true }) tenantId: Types.ObjectId;
  @Prop({ required: true }) name: string;
  /** Lower-case name: names are unique per tenant regardless of case (Hyper-V's own rule). */
  @Prop({ required: true }) nameKey: string;
  @Prop({ type: String, required: true, enum: VM_STATES }) state: VmState;
  @Prop({ type: Types.ObjectId, default: null }) imageId: Types.ObjectId | null;
  @Prop({ type: SchemaFactory.createForClass(VmImageRef), default: null }) image: VmImageRef | null;
  @Prop({ required: true }) vcpu: number;
  @Prop({ required: true }) memoryMiB: number;
  @Prop({ required: true }) diskGiB: number;
  @Prop({ type: Types.ObjectId, default: null }) hostId: Types.ObjectId | null;
  @Prop({ type: String, default: null }) hypervisorId: string | null;
  @Prop({ type: [String], default: [] }) ipAddresses: string[];
  /** The request's cloud-init with passwords already hashed; clones render their own seed from it. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) cloudInit: StoredCloudInit | null;
  /** What this VM has committed in its tenant's quota: deleting it gives back exactly this. */
  @Prop({ type: SchemaFactory.createForClass(VmAmounts), required: true }) charged: VmAmounts;
  @Prop({ type: Types.ObjectId, default: null }) lastTaskId: Types.ObjectId | null;
  /** When a task last set the state: an inventory read before then is older news. */
  @Prop({ type: Date, required: true }) stateSetAt: Date;
  createdAt: Date;
  updatedAt: Date;
}
export type VmDocument = HydratedDocument<VmRecord>;
export const VmSchema = SchemaFactory.createForClass(VmRecord);
VmSchema.index({ tenantId: 1, nameKey: 1 }, { unique: true });
VmSchema.index({ hostId: 1 });

/**
 * One change at a time per VM: the lock is a document whose _id is the VM id, so taking it is an
 * insert that a unique index makes atomic (FerretDB's findAndModify is not).
 */
@Schema({ collection: 'vm_locks', timestamps: { createdAt: true, updatedAt: false } })
export class VmLockRecord {
  @Prop({ type: Types.ObjectId, required: true }) _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) taskId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) tenantId: Types.ObjectId;
  /** The state to put back when the task fails or is cancelled. */
  @Prop({ type: String, required: true, enum: VM_STATES }) restoreState: VmState;
}
export const VmLockSchema = SchemaFactory.createForClass(VmLockRecord);
VmLockSchema.index({ taskId: 1 });
