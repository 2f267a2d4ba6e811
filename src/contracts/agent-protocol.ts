/**
 * The agent wire protocol, defined once for both ends (src/agent-gateway and agent/). Every frame is
 * one JSON text message validated with these schemas on arrival; a frame that fails validation is
 * answered with an `error` message, never a crash.
 *
 * zod is the one dependency here: the issue asks for every message's validation to live in one place
 * that both the server and the agent bundle import.
 */
import { z } from 'zod';

export const AGENT_PROTOCOL_VERSION = 1;

const id = z.string().min(1).max(128);
const name = z.string().min(1).max(255);
const gib = z.number().nonnegative();

export const DatastoreSchema = z.object({ name, path: z.string().max(1024), totalGiB: gib, freeGiB: gib });
export type Datastore = z.infer<typeof DatastoreSchema>;

export const HostFactsSchema = z.object({
  hostname: name,
  os: z.string().max(255),
  hypervVersion: z.string().max(64),
  cpuCores: z.number().int().positive(),
  memoryMiB: z.number().int().positive(),
  /** Memory not in use by the host or its VMs, as the hypervisor reports it. */
  freeMemoryMiB: z.number().int().nonnegative(),
  datastores: z.array(DatastoreSchema).max(64),
});
export type HostFacts = z.infer<typeof HostFactsSchema>;

/** Hyper-V's VM states, as Get-VM reports them (lower-case). */
export const HYPERV_VM_STATES = ['running', 'off', 'starting', 'stopping', 'saving', 'saved', 'pausing', 'paused', 'resuming', 'other'] as const;
export type HypervVmState = (typeof HYPERV_VM_STATES)[number];

export const InventoryVmSchema = z.object({
  /** Hyper-V's VM id (a GUID). */
  hypervisorId: id,
  name,
  /** The control plane's VM id when the VM was created by OpenHVX (kept in the VM's notes). */
  openhvxVmId: id.optional(),
  state: z.enum(HYPERV_VM_STATES),
  generation: z.union([z.literal(1), z.literal(2)]),
  vcpu: z.number().int().positive(),
  memoryMiB: z.number().int().positive(),
  uptimeSeconds: z.number().nonnegative(),
  disks: z.array(z.object({ path: z.string().max(1024), sizeGiB: gib, usedGiB: gib })).max(64),
  nics: z
    .array(z.object({ switchName: z.string().max(255).nullable(), macAddress: z.string().max(32), ipAddresses: z.array(z.string().max(64)).max(32) }))
    .max(16),
});
export type InventoryVm = z.infer<typeof InventoryVmSchema>;

export const VirtualSwitchSchema = z.object({ name, type: z.enum(['external', 'internal', 'private']) });
export type VirtualSwitch = z.infer<typeof VirtualSwitchSchema>;

/** A `.vhdx` found in the agent's image directories. */
export const ImageFileSchema = z.object({ fileName: name, sizeGiB: gib });
export type ImageFile = z.infer<typeof ImageFileSchema>;

export const InventorySchema = z.object({
  vms: z.array(InventoryVmSchema).max(10_000),
  switches: z.array(VirtualSwitchSchema).max(256),
  images: z.array(ImageFileSchema).max(1_000),
});
export type Inventory = z.infer<typeof InventorySchema>;

// ---- Actions a job can run ------------------------------------------------------------------

export const VM_POWER_ACTIONS = ['start', 'stop', 'shutdown', 'restart', 'pause', 'resume', 'save'] as const;
export type VmPowerAction = (typeof VM_POWER_ACTIONS)[number];

/** The control plane's VM id; it names the VM's folder and its COM1 pipe on the host, hence the narrow alphabet. */
export const VM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const vmRef = { vmId: z.string().regex(VM_ID_PATTERN, 'vmId may hold letters, digits, _ . - only'), name };
const cloudInitSeed = z.object({
  /** Files of the NoCloud seed (`meta-data`, `user-data`, optional `network-config`), written by the agent to an ISO labelled CIDATA. */
  metaData: z.string().max(65_536),
  userData: z.string().max(262_144),
  networkConfig: z.string().max(65_536).optional(),
});

export const ActionParamsSchemas = {
  /** Re-read facts and inventory and send them now. */
  'host.refresh': z.object({}),
  'vm.create': z.object({
    ...vmRef,
    imageFileName: name,
    generation: z.union([z.literal(1), z.literal(2)]),
    vcpu: z.number().int().min(1).max(240),
    memoryMiB: z.number().int().min(32).max(12_582_912),
    diskGiB: z.number().int().min(1).max(65_536),
    /** Datastore to place the VM on; the agent picks the one with most free space when absent. */
    datastore: name.optional(),
    switchName: name.optional(),
    secureBootTemplate: z.enum(['MicrosoftUEFICertificateAuthority', 'MicrosoftWindows']).optional(),
    cloudInit: cloudInitSeed.optional(),
    start: z.boolean(),
  }),
  'vm.edit': z.object({
    ...vmRef,
    vcpu: z.number().int().min(1).max(240).optional(),
    memoryMiB: z.number().int().min(32).max(12_582_912).optional(),
    /** Disks only grow. */
    diskGiB: z.number().int().min(1).max(65_536).optional(),
    /** A running VM whose processors or memory change is shut down, changed and started again (else VM_MUST_BE_OFF). */
    restart: z.boolean().optional(),
  }),
  /** The copy gets its own seed (new instance-id and hostname) so cloud-init configures it as a new machine. */
  'vm.clone': z.object({ source: z.object(vmRef), target: z.object({ ...vmRef, start: z.boolean(), cloudInit: cloudInitSeed.optional() }) }),
  'vm.power': z.object({ ...vmRef, action: z.enum(VM_POWER_ACTIONS) }),
  /** Marks a VM made outside OpenHVX (found by Hyper-V's id) as the control plane's VM `vmId`, so later actions find it. */
  'vm.adopt': z.object({ ...vmRef, hypervisorId: id }),
  /** Stops the VM first when `force`, then removes it and its disks and seed ISO. */
  'vm.delete': z.object({ ...vmRef, force: z.boolean() }),
} as const;

export type AgentAction = keyof typeof ActionParamsSchemas;
export const AGENT_ACTIONS = Object.keys(ActionParamsSchemas) as AgentAction[];
export type ActionParams<A extends AgentAction> = z.infer<(typeof ActionParamsSchemas)[A]>;

/** What a VM action answers: the VM as the host now sees it. */
export type VmActionOutput = { vm: InventoryVm };
/** vm.delete of a VM that is already gone succeeds (deleting is idempotent) with nothing to show. */
export type VmDeleteOutput = { vm: InventoryVm | null };

/** Error codes a job can fail with; `retryable` ones are retried by the server with backoff. */
export const JOB_ERROR_CODES = [
  'INVALID_PARAMS',
  'UNKNOWN_ACTION',
  'NOT_FOUND',
  'NAME_TAKEN',
  'INVALID_STATE',
  'VM_MUST_BE_OFF',
  'DISK_CANNOT_SHRINK',
  'INSUFFICIENT_CAPACITY',
  'IMAGE_NOT_FOUND',
  'TIMEOUT',
  'AGENT_BUSY',
  'AGENT_DISCONNECTED',
  'HYPERVISOR_ERROR',
  'INTERNAL',
] as const;
export type JobErrorCode = (typeof JOB_ERROR_CODES)[number];
export const JobErrorSchema = z.object({ code: z.enum(JOB_ERROR_CODES), message: z.string().max(4_096), retryable: z.boolean() });
export type JobError = z.infer<typeof JobErrorSchema>;

// ---- Messages --------------------------------------------------------------------------------

// ---- Console channels (DESIGN.md §4.4) ---------------------------------------------------------
// A console channel carries one browser session's serial bytes over the agent's socket. Bytes travel
// in binary frames (see encodeConsoleFrame); opening, closing and flow control in the JSON messages
// below. Flow control is by credit: the agent sends at most CONSOLE_WINDOW_BYTES of output the server
// has not acknowledged with `console.ack`, and the server likewise for input, so a slow reader on
// either side stops the writer instead of growing buffers in between.

export const CONSOLE_WINDOW_BYTES = 256 * 1024;
/** The channel id: random, chosen by the server; printable so it fits the binary frame header. */
export const CONSOLE_CHANNEL_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
const channel = z.string().regex(CONSOLE_CHANNEL_PATTERN);
const ackedBytes = z.number().int().positive().max(CONSOLE_WINDOW_BYTES);

/** Why the agent ended a channel. */
export const CONSOLE_END_REASONS = ['vm-not-found', 'vm-deleted', 'agent-stopping', 'error'] as const;
export type ConsoleEndReason = (typeof CONSOLE_END_REASONS)[number];

export const AgentMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocolVersion: z.number().int(),
    agentVersion: z.string().max(64),
    driver: z.enum(['sim', 'hyperv']),
    capabilities: z.array(z.string().max(64)).max(64),
    facts: HostFactsSchema,
  }),
  z.object({ type: z.literal('heartbeat'), facts: HostFactsSchema.optional() }),
  z.object({ type: z.literal('inventory'), inventory: InventorySchema }),
  z.object({ type: z.literal('job.progress'), jobId: id, percent: z.number().min(0).max(100), message: z.string().max(1_024).optional() }),
  z.discriminatedUnion('ok', [
    z.object({ type: z.literal('job.result'), jobId: id, ok: z.literal(true), output: z.unknown() }),
    z.object({ type: z.literal('job.result'), jobId: id, ok: z.literal(false), error: JobErrorSchema }),
  ]),
  z.object({ type: z.literal('console.opened'), channel }),
  z.object({ type: z.literal('console.ack'), channel, bytes: ackedBytes }),
  z.object({ type: z.literal('console.closed'), channel, reason: z.enum(CONSOLE_END_REASONS), message: z.string().max(1_024) }),
  z.object({ type: z.literal('error'), code: z.string().max(64), message: z.string().max(4_096) }),
]);
export type AgentMessage = z.infer<typeof AgentMessageSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), hostId: id, heartbeatIntervalMs: z.number().int().positive() }),
  z.object({ type: z.literal('job.run'), jobId: id, action: z.string().max(64), params: z.unknown(), timeoutMs: z.number().int().positive() }),
  /** Attach a channel to the VM's serial port; read-only channels' input is dropped by the server already. */
  z.object({ type: z.literal('console.open'), channel, vmId: vmRef.vmId, hypervisorId: id.nullable() }),
  z.object({ type: z.literal('console.ack'), channel, bytes: ackedBytes }),
  z.object({ type: z.literal('console.close'), channel }),
  z.object({ type: z.literal('error'), code: z.string().max(64), message: z.string().max(4_096) }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** Close codes of the agent socket (4000–4999 are the application's). */
export const AgentCloseCode = {
  ProtocolMismatch: 4001,
  Replaced: 4002,
  Revoked: 4003,
  ServerShutdown: 1001,
} as const;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

/** Parses one text frame; never throws. */
export function parseFrame<T>(schema: z.ZodType<T>, raw: string): ParseResult<T> {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'frame is not valid JSON' };
  }
  let result: ReturnType<typeof schema.safeParse>;
  try {
    result = schema.safeParse(data);
  } catch (error) {
    return { ok: false, error: `message could not be validated: ${(error as Error).message}` };
  }
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  return { ok: false, error: `invalid message: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
}

/** Enrollment: POST /api/v1/agent/enroll */
export const EnrollRequestSchema = z.object({ token: z.string().min(1).max(256), facts: HostFactsSchema });
export type EnrollRequest = z.infer<typeof EnrollRequestSchema>;
export interface EnrollResponse {
  hostId: string;
  credential: string;
}
