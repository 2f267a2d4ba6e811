import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/mongoose';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { FilterQuery, Model, Types } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../common/errors/duplicate-key';
import { literalPattern, PaginationQueryDto } from '../common/http/pagination.dto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { EnrollRequest, EnrollResponse, HostFacts, Inventory } from '../contracts/agent-protocol';
import { ErrorCode } from '../contracts/error-code';
import {
  HOST_CREDENTIAL_REVOKED,
  HOST_INVENTORY_RECORDED,
  HOST_MANAGED_VMS_COUNT,
  HostCredentialRevokedEvent,
  HostInventoryRecordedEvent,
  HostManagedVmsCountQuery,
  HOST_CHANGED,
  HostChangedEvent,
} from './host-events';
import { CreatedHostDto, CreateHostDto, EnrollmentDto, HostDto, HostInventoryDto, HostPageDto, HostStatus, UpdateHostDto } from './host.dto';
import { EnrollmentTokenRecord, EnrollmentUseRecord, HostDocument, HostInventoryRecord, HostRecord } from './host.schemas';

const ENROLLMENT_PREFIX = 'ohxe_';
const CREDENTIAL_PREFIX = 'ohxh_';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A host as other modules list it next to their own records. */
export interface HostSummary {
  id: string;
  name: string;
  status: HostStatus;
}

export interface HostWithInventory {
  id: string;
  name: string;
  status: HostStatus;
  facts: HostFacts | null;
  inventory: Inventory | null;
}

/** What the agent gateway knows about an authenticated agent connection. */
export interface AgentIdentity {
  hostId: string;
  name: string;
}

@Injectable()
export class HostsService {
  constructor(
    @InjectModel(HostRecord.name) private readonly hosts: Model<HostRecord>,
    @InjectModel(EnrollmentTokenRecord.name) private readonly tokens: Model<EnrollmentTokenRecord>,
    @InjectModel(EnrollmentUseRecord.name) private readonly tokenUses: Model<EnrollmentUseRecord>,
    @InjectModel(HostInventoryRecord.name) private readonly inventories: Model<HostInventoryRecord>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventEmitter2,
  ) {}

  async create(input: CreateHostDto): Promise<CreatedHostDto> {
    let host: HostDocument;
    try {
      host = await this.hosts.create({ name: input.name });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw AppException.conflict(`A host named '${input.name}' already exists`);
      throw error;
    }
    return { ...this.toDto(host, 0), enrollment: await this.newEnrollment(host) };
  }

  async list(query: PaginationQueryDto): Promise<HostPageDto> {
    const filter: FilterQuery<HostRecord> = query.q ? { name: literalPattern(query.q) } : {};
    const [hosts, total] = await Promise.all([
      this.hosts.find(filter).sort({ name: 1 }).skip(query.offset).limit(query.limit),
      this.hosts.countDocuments(filter),
    ]);
    const vmCounts = await this.vmCounts(hosts.map((host) => host._id));
    return { items: hosts.map((host) => this.toDto(host, vmCounts.get(host.id as string) ?? 0)), total };
  }

  async get(id: string): Promise<HostDto> {
    return this.withVmCount(await this.findOrFail(id));
  }

  async update(id: string, input: UpdateHostDto): Promise<HostDto> {
    try {
      const host = await this.hosts.findByIdAndUpdate(id, { $set: definedOnly(input) }, { new: true });
      if (!host) throw AppException.notFound('Host');
      this.changed(id);
      return this.withVmCount(host);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw AppException.conflict(`A host named '${input.name}' already exists`);
      throw error;
    }
  }

  /** Revokes the agent's credential, closes its connection (through the event) and forgets the host. */
  async remove(id: string, force: boolean): Promise<void> {
    const host = await this.findOrFail(id);
    const managed = await this.countManagedVms(id);
    if (managed > 0 && !force) {
      throw AppException.conflict(`Host '${host.name}' still runs ${managed} managed VM(s); move or delete them first, or pass force=true`, ErrorCode.HostHasVms);
    }
    await this.hosts.deleteOne({ _id: host._id });
    await Promise.all([this.tokens.deleteMany({ hostId: host._id }), this.inventories.deleteOne({ hostId: host._id })]);
    await this.events.emitAsync(HOST_CREDENTIAL_REVOKED, { hostId: id } satisfies HostCredentialRevokedEvent);
    this.changed(id);
  }

  /** A fresh one-time token; earlier unused tokens of the host stop working. */
  async reissueEnrollment(id: string): Promise<EnrollmentDto> {
    return this.newEnrollment(await this.findOrFail(id));
  }

  /**
   * For hosts set up by the platform itself (the demo's sim hosts): creates the host when missing and
   * answers a fresh enrollment while it is not enrolled; null once its agent holds a credential.
   */
  async pendingEnrollmentFor(name: string): Promise<EnrollmentDto | null> {
    const host = await this.hosts.findOne({ name });
    if (!host) return (await this.create({ name })).enrollment;
    return host.enrolledAt ? null : this.newEnrollment(host);
  }

  /** Exchanges a one-time enrollment token for the host's long-lived agent credential. */
  async enroll(request: EnrollRequest): Promise<EnrollResponse> {
    const tokenHash = sha256(request.token);
    const token = await this.tokens.findOne({ tokenHash });
    const refused = () => new AppException(HttpStatus.UNAUTHORIZED, ErrorCode.InvalidEnrollmentToken, 'Enrollment token is invalid, expired or already used');
    if (!token || token.expiresAt.getTime() <= Date.now()) throw refused();
    try {
      await this.tokenUses.create({ tokenHash });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw refused();
      throw error;
    }
    const credential = `${CREDENTIAL_PREFIX}${randomBytes(32).toString('base64url')}`;
    const previous = await this.hosts.findByIdAndUpdate(token.hostId, {
      $set: { credentialHash: sha256(credential), enrolledAt: new Date(), facts: request.facts },
    });
    if (!previous) throw refused();
    await this.tokens.deleteOne({ _id: token._id });
    if (previous.credentialHash) {
      // Re-enrolled (a reinstalled agent): the old agent's credential is void and its connection goes.
      await this.events.emitAsync(HOST_CREDENTIAL_REVOKED, { hostId: previous.id as string } satisfies HostCredentialRevokedEvent);
    }
    return { hostId: previous.id as string, credential };
  }

  /** The host behind an agent credential, or null (unknown or revoked). */
  async authenticateAgent(credential: string): Promise<AgentIdentity | null> {
    if (!credential.startsWith(CREDENTIAL_PREFIX)) return null;
    const host = await this.hosts.findOne({ credentialHash: sha256(credential) });
    return host ? { hostId: host.id as string, name: host.name } : null;
  }

  /** Records a new agent connection; the returned session id supersedes any earlier connection. */
  async recordConnected(hostId: string, hello: { agentVersion: string; driver: string; facts: HostFacts }): Promise<string> {
    const sessionId = randomUUID();
    await this.hosts.updateOne(
      { _id: hostId },
      { $set: { sessionId, agentVersion: hello.agentVersion, driver: hello.driver, facts: hello.facts, lastHeartbeatAt: new Date() } },
    );
    this.changed(hostId);
    return sessionId;
  }

  /** Heartbeats from a superseded connection are ignored, so an old socket cannot keep a host online. */
  async recordHeartbeat(hostId: string, sessionId: string, facts?: HostFacts): Promise<void> {
    await this.hosts.updateOne({ _id: hostId, sessionId }, { $set: { lastHeartbeatAt: new Date(), ...(facts ? { facts } : {}) } });
  }

  async recordDisconnected(hostId: string, sessionId: string): Promise<void> {
    const { modifiedCount } = await this.hosts.updateOne({ _id: hostId, sessionId }, { $set: { sessionId: null } });
    if (modifiedCount > 0) this.changed(hostId);
  }

  async recordInventory(hostId: string, inventory: Inventory): Promise<void> {
    const receivedAt = new Date();
    await this.inventories.updateOne({ hostId: new Types.ObjectId(hostId) }, { $set: { inventory, reportedAt: receivedAt } }, { upsert: true });
    await this.events.emitAsync(HOST_INVENTORY_RECORDED, { hostId, inventory, receivedAt } satisfies HostInventoryRecordedEvent);
  }

  /** Hosts that may receive new VMs (online, not in maintenance), with what they last reported. */
  async placementCandidates(): Promise<HostWithInventory[]> {
    return (await this.withInventories()).filter((host) => host.status === 'online' && host.facts !== null);
  }

  /** Every host with its last inventory (null before the first one). */
  async withInventories(): Promise<HostWithInventory[]> {
    const [hosts, inventories] = await Promise.all([this.hosts.find({ enrolledAt: { $ne: null } }).sort({ name: 1 }), this.inventories.find().lean()]);
    const byHost = new Map(inventories.map((record) => [record.hostId.toHexString(), record.inventory]));
    return hosts.map((host) => ({
      id: host.id as string,
      name: host.name,
      status: this.statusOf(host),
      facts: host.facts,
      inventory: byHost.get(host.id as string) ?? null,
    }));
  }

  /** Names of hosts by id, for views that show where something runs. */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    const hosts = await this.hosts.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { name: 1 }).lean();
    return new Map(hosts.map((host) => [host._id.toHexString(), host.name]));
  }

  async getInventory(id: string): Promise<HostInventoryDto> {
    await this.findOrFail(id);
    const record = await this.inventories.findOne({ hostId: new Types.ObjectId(id) }).lean();
    if (!record) throw AppException.notFound('Inventory (the host has not reported one yet)');
    return { reportedAt: record.reportedAt.toISOString(), ...record.inventory };
  }

  /** For each file name, the hosts whose latest inventory lists it in their image library (by host name). */
  async hostsHavingImageFiles(fileNames: string[]): Promise<Map<string, HostSummary[]>> {
    const wanted = new Set(fileNames);
    const byFile = new Map<string, HostSummary[]>(fileNames.map((fileName) => [fileName, []]));
    if (wanted.size === 0) return byFile;
    const inventories = await this.inventories
      .find({ 'inventory.images.fileName': { $in: [...wanted] } }, { hostId: 1, 'inventory.images.fileName': 1 })
      .lean();
    const hosts = await this.hosts
      .find({ _id: { $in: inventories.map((record) => record.hostId) } }, { name: 1, maintenance: 1, enrolledAt: 1, sessionId: 1, lastHeartbeatAt: 1 })
      .sort({ name: 1 });
    const filesByHost = new Map(inventories.map((record) => [record.hostId.toHexString(), new Set(record.inventory.images.map((image) => image.fileName))]));
    for (const host of hosts) {
      const summary: HostSummary = { id: host.id as string, name: host.name, status: this.statusOf(host) };
      for (const fileName of filesByHost.get(summary.id) ?? []) if (wanted.has(fileName)) byFile.get(fileName)!.push(summary);
    }
    return byFile;
  }

  /** VMs the control plane manages on the host, answered by the modules that own VM records. */
  private async countManagedVms(hostId: string): Promise<number> {
    const counts: number[] = await this.events.emitAsync(HOST_MANAGED_VMS_COUNT, { hostId } satisfies HostManagedVmsCountQuery);
    return counts.reduce((total, count) => total + count, 0);
  }

  private async newEnrollment(host: HostDocument): Promise<EnrollmentDto> {
    const token = `${ENROLLMENT_PREFIX}${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + this.config.hosts.enrollmentTtlSeconds * 1000);
    await this.tokens.deleteMany({ hostId: host._id });
    await this.tokens.create({ hostId: host._id, tokenHash: sha256(token), expiresAt });
    return { token, expiresAt: expiresAt.toISOString(), command: agentCommand(this.config.publicUrl, token) };
  }

  private async findOrFail(id: string): Promise<HostDocument> {
    const host = await this.hosts.findById(id);
    if (!host) throw AppException.notFound('Host');
    return host;
  }

  /** VMs per host in the last inventories, read in one query for a whole page of hosts. */
  private async vmCounts(hostIds: Types.ObjectId[]): Promise<Map<string, number>> {
    const records = await this.inventories.find({ hostId: { $in: hostIds } }, { hostId: 1, 'inventory.vms.hypervisorId': 1 }).lean();
    return new Map(records.map((record) => [record.hostId.toHexString(), record.inventory.vms.length]));
  }

  private async withVmCount(host: HostDocument): Promise<HostDto> {
    return this.toDto(host, (await this.vmCounts([host._id])).get(host.id as string) ?? 0);
  }

  private toDto(host: HostDocument, vmCount: number): HostDto {
    const facts = host.facts;
    return {
      id: host.id as string,
      name: host.name,
      status: this.statusOf(host),
      maintenance: host.maintenance,
      lastHeartbeatAt: host.lastHeartbeatAt?.toISOString() ?? null,
      agentVersion: host.agentVersion,
      driver: host.driver,
      facts,
      capacity: facts
        ? {
            cpuCores: facts.cpuCores,
            memoryMiB: facts.memoryMiB,
            freeMemoryMiB: facts.freeMemoryMiB,
            storage: facts.datastores.map(({ name, totalGiB, freeGiB }) => ({ name, totalGiB, freeGiB })),
          }
        : null,
      vmCount,
      createdAt: host.createdAt.toISOString(),
    };
  }

  /** Browsers see a host's status change at once (HOST_CHANGED becomes a live host.updated event). */
  private changed(hostId: string): void {
    this.events.emit(HOST_CHANGED, { hostId } satisfies HostChangedEvent);
  }

  /** Derived at read time from the last heartbeat, so every replica agrees without a sweeper. */
  private statusOf(host: HostDocument): HostStatus {
    if (host.maintenance) return 'maintenance';
    if (!host.enrolledAt) return 'pending';
    const fresh = host.lastHeartbeatAt && Date.now() - host.lastHeartbeatAt.getTime() < this.config.hosts.offlineAfterSeconds * 1000;
    return host.sessionId && fresh ? 'online' : 'offline';
  }
}

/** Server URLs and tokens hold no shell metacharacters, so the line pastes as is into PowerShell or a POSIX shell. */
function agentCommand(serverUrl: string, token: string): string {
  return `node openhvx-agent.js --server ${serverUrl} --enroll-token ${token} --driver hyperv`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
