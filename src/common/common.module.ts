import { Global, Module } from '@nestjs/common';
import { PasswordHasher } from './auth/password-hasher';

@Global()
@Module({ providers: [PasswordHasher], exports: [PasswordHasher] })
export class CommonModule {}
