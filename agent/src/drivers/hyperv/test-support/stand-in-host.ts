import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptErrorInfo } from '../host-loop-protocol';

export const STAND_IN_HOST_LOOP = join(__dirname, 'stand-in-host-loop.js');

/** What the stand-in does for one call of a script (see stand-in-host-loop.js). */
export interface StandInBehaviour {
  delayMs?: number;
  noise?: string[];
  partialNoise?: string;
  stderr?: string;
  result?: unknown;
  echo?: boolean;
  pid?: boolean;
  error?: ScriptErrorInfo;
  crash?: number;
  hang?: boolean;
  malformed?: string;
  wrongId?: boolean;
  split?: boolean;
}

export interface StandInScenario {
  startup?: { delayMs?: number; noise?: string[]; fail?: ScriptErrorInfo; hang?: boolean; crash?: number };
  scripts?: Record<string, StandInBehaviour | StandInBehaviour[]>;
}

export interface LoggedRequest {
  /** The line exactly as the agent wrote it. */
  raw: string;
  request: { id: string; script: string; params: Record<string, unknown> } | null;
}

/**
 * A temp folder with a scenario file, a request log and (unless given) a script folder, and the command
 * line that runs the stand-in host loop on them.
 */
export class StandInHost {
  readonly dir = mkdtempSync(join(tmpdir(), 'openhvx-stand-in-'));
  readonly scenarioFile = join(this.dir, 'scenario.json');
  readonly logFile = join(this.dir, 'requests.jsonl');
  readonly scriptDir: string;

  /** `scripts`: names of the (empty) .ps1 files the stand-in accepts; `scriptDir` instead uses a real folder. */
  constructor(options: { scripts?: string[]; scriptDir?: string } = {}) {
    if (options.scriptDir) {
      this.scriptDir = options.scriptDir;
    } else {
      this.scriptDir = join(this.dir, 'scripts');
      mkdirSync(this.scriptDir);
      for (const name of options.scripts ?? []) writeFileSync(join(this.scriptDir, `${name}.ps1`), '');
    }
    this.setScenario({});
  }

  setScenario(scenario: StandInScenario): void {
    writeFileSync(this.scenarioFile, JSON.stringify(scenario));
  }

  command(): { executable: string; args: string[]; env: Record<string, string> } {
    return { executable: process.execPath, args: [STAND_IN_HOST_LOOP, this.scriptDir], env: { STAND_IN_SCENARIO: this.scenarioFile, STAND_IN_LOG: this.logFile } };
  }

  requests(): LoggedRequest[] {
    if (!existsSync(this.logFile)) return [];
    return readFileSync(this.logFile, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as LoggedRequest);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
