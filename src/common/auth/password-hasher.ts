import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, t=3, p=4), which meet OWASP's current guidance. */
@Injectable()
export class PasswordHasher {
  private decoy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the same time as a real verification, so a login for an unknown account cannot be told
   * apart from a wrong password by its response time.
   */
  async verifyAgainstDecoy(password: string): Promise<false> {
    this.decoy ??= this.hash('decoy-password-for-timing');
    await this.verify(await this.decoy, password);
    return false;
  }
}
