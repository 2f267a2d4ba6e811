import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode } from '../../contracts/error-code';

/** An expected failure with a stable code; the global filter turns it into the error body. */
export class AppException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message, status);
  }

  static notFound(what: string): AppException {
    return new AppException(HttpStatus.NOT_FOUND, ErrorCode.NotFound, `${what} not found`);
  }

  static conflict(message: string, code = ErrorCode.Conflict): AppException {
    return new AppException(HttpStatus.CONFLICT, code, message);
  }

  static unauthenticated(message = 'Authentication required', code = ErrorCode.Unauthenticated): AppException {
    return new AppException(HttpStatus.UNAUTHORIZED, code, message);
  }

  static forbidden(message: string, code = ErrorCode.Forbidden): AppException {
    return new AppException(HttpStatus.FORBIDDEN, code, message);
  }
}
