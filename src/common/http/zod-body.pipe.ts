import { HttpStatus, PipeTransform } from '@nestjs/common';
import type { ZodType } from 'zod';
import { ErrorCode } from '../../contracts/error-code';
import { AppException } from '../errors/app-exception';

/** Validates a body against a zod schema from src/contracts (shapes shared with the agent), with the same error body as DTOs. */
export class ZodBodyPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: ZodType<T>) {}

  transform(value: unknown): T {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const details = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', errors: [issue.message] }));
    const summary = details.map((d) => `${d.field}: ${d.errors.join(', ')}`).join('; ');
    throw new AppException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Validation failed: ${summary}`, details);
  }
}
