import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mongoose from 'mongoose';
import { ActionableError } from './actionable-error';
import { ensureFerretdb, FERRETDB_VERSION } from './ensure-ferretdb';
import { findExecutable } from './find-executable';
import { findFreePort } from './find-free-port';
import { ManagedProcess } from './managed-process';
import { waitUntil } from './wait-until';

export interface MongoService {
  /** mongodb:// URI including the database name. */
  uri: string;
  kind: 'external' | 'mongod' | 'ferretdb';
  stop(): Promise<void>;
}

export interface ProvideMongoOptions {
  /** Local data goes to `<dataDir>/mongod` or `<dataDir>/ferretdb` (kept across runs). */
  dataDir: string;
  log: (message: string) => void;
  /** An existing server to use as-is (kind 'external', nothing is started). */
  uri?: string;
  /** Default: a free port. */
  port?: number;
  /** Default: openhvx. */
  dbName?: string;
  /** Where the FerretDB binary is kept/built. Default: `<repo>/.tools`. */
  toolsDir?: string;
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

const REPO_ROOT = resolve(__dirname, '..', '..');

/**
 * A MongoDB-compatible server: `uri` if given, else `mongod` from PATH, else FerretDB (SQLite backend),
 * built from source on first use. Against FerretDB the plain URI works: as a standalone server it makes
 * the driver skip retryable writes, so no `retryWrites=false` is needed.
 */
export async function provideMongo(options: ProvideMongoOptions): Promise<MongoService> {
  const { dataDir, log, dbName = 'openhvx', readyTimeoutMs = 30_000, signal } = options;
  if (options.uri) return { uri: options.uri, kind: 'external', stop: async () => {} };

  const mongod = findExecutable('mongod');
  // Build FerretDB (if needed) before picking the port, so the port is still free when we use it.
  const ferretdb = mongod ? undefined : await ensureFerretdb({ toolsDir: options.toolsDir ?? join(REPO_ROOT, '.tools'), log, signal });
  const port = options.port ?? (await findFreePort());
  const dir = join(dataDir, mongod ? 'mongod' : 'ferretdb');
  mkdirSync(dir, { recursive: true });

  const spec = mongod
    ? { name: 'mongod', file: 'mongod', command: mongod, args: ['--dbpath', dir, '--bind_ip', '127.0.0.1', '--port', String(port)] }
    : {
        name: `FerretDB ${FERRETDB_VERSION}`,
        file: 'ferretdb',
        command: ferretdb!,
        args: [
          '--handler=sqlite',
          `--sqlite-url=file:${dir}/`,
          `--state-dir=${dir}`,
          `--listen-addr=127.0.0.1:${port}`,
          '--telemetry=disable',
          '--debug-addr=-', // no metrics/pprof HTTP listener: one port less to allocate
          '--log-level=warn',
        ],
      };
  const server = await ManagedProcess.start(spec.command, spec.args, {
    name: spec.name,
    logFile: join(dir, `${spec.file}.log`),
    pidFile: join(dir, `${spec.file}.pid`),
    detached: true,
    log,
  });

  const uri = `mongodb://127.0.0.1:${port}/${dbName}`;
  try {
    await waitUntil(`127.0.0.1:${port}`, () => answersPing(uri), {
      timeoutMs: readyTimeoutMs,
      signal,
      giveUpIf: () => (server.hasExited ? server.describeExit() : undefined),
    });
  } catch (error) {
    await server.stop();
    signal?.throwIfAborted();
    throw new ActionableError(
      `${server.name} did not start (${(error as Error).message}). Last lines of ${server.logFile}:\n${server.logTail()}\n` +
        'Set MONGODB_URI to use an existing MongoDB server instead.',
    );
  }
  log(`MongoDB API: ${server.name} at ${uri} (data in ${dir})`);
  return {
    uri,
    kind: mongod ? 'mongod' : 'ferretdb',
    stop: async () => {
      await server.stop();
    },
  };
}

/** Connects with the real driver and runs `ping`. */
async function answersPing(uri: string): Promise<boolean> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.connect();
    const reply = await client.db().command({ ping: 1 });
    return reply.ok === 1;
  } finally {
    await client.close().catch(() => {});
  }
}
