import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode } from '../../contracts/error-code';
import { AppException } from '../errors/app-exception';

export interface FieldError {
  field: string;
  errors: string[];
}

/** One pipe for every body, query and param: unknown fields are refused, values are coerced to DTO types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const summary = details.map((d) => `${d.field}: ${d.errors.join(', ')}`).join('; ');
      return new AppException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Validation failed: ${summary}`, details);
    },
  });
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
