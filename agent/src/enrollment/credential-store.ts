import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredCredential {
  serverUrl: string;
  hostId: string;
  credential: string;
}

/** The host's long-lived credential, in the data dir, readable by the agent's account only. */
export class CredentialStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'credential.json');
  }

  load(): StoredCredential | null {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as StoredCredential;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`Cannot read ${this.file}: ${(error as Error).message}`);
    }
  }

  save(credential: StoredCredential): void {
    const temp = `${this.file}.tmp`;
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(temp, JSON.stringify(credential, null, 2), { mode: 0o600 });
    renameSync(temp, this.file);
    chmodSync(this.file, 0o600); // on Windows this only clears read-only; the data dir's ACL protects it there
  }
}
