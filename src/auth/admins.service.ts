import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { join } from 'node:path';
import { Model, Types } from 'mongoose';
import { PasswordHasher } from '../common/auth/password-hasher';
import { isDuplicateKeyError } from '../common/errors/duplicate-key';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { generatePassword, readSecretFile, writeSecretFile } from '../config/secret-file';
import { AdminDocument, AdminRecord } from './auth.schemas';

/** How to log in as the first admin, for the start-up banner. */
export interface AdminLoginHint {
  email: string;
  /** Present only on the boot that generated it. */
  generatedPassword?: string;
  passwordFile?: string;
}

@Injectable()
export class AdminsService {
  private readonly logger = new Logger(AdminsService.name);

  constructor(
    @InjectModel(AdminRecord.name) private readonly admins: Model<AdminRecord>,
    private readonly hasher: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verifyCredentials(email: string, password: string): Promise<AdminDocument | null> {
    const admin = await this.admins.findOne({ email });
    if (!admin) return this.hasher.verifyAgainstDecoy(password).then(() => null);
    return (await this.hasher.verify(admin.passwordHash, password)) ? admin : null;
  }

  async findById(id: string): Promise<AdminDocument | null> {
    return Types.ObjectId.isValid(id) ? this.admins.findById(id) : null;
  }

  /**
   * Creates the first admin when there is none. Without OPENHVX_ADMIN_PASSWORD the password is
   * generated, shown once, and kept in the data dir so the operator can find it again.
   */
  async ensureBootstrapAdmin(): Promise<AdminLoginHint> {
    const { email, password: configured } = this.config.bootstrapAdmin;
    const passwordFile = join(this.config.dataDir, 'admin-password');
    const hint = (generatedPassword?: string): AdminLoginHint => ({
      email,
      generatedPassword,
      passwordFile: configured || !readSecretFile(passwordFile) ? undefined : passwordFile,
    });
    if (await this.admins.exists({})) return hint();

    const password = configured ?? generatePassword();
    if (!configured) writeSecretFile(passwordFile, password);
    try {
      await this.admins.create({ email, passwordHash: await this.hasher.hash(password), role: 'admin' });
      this.logger.log(`Created the first admin ${email}`);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // another replica bootstrapped it first
    }
    return hint(configured ? undefined : password);
  }
}
