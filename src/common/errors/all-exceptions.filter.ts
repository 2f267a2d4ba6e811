import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorBody, ErrorCode } from '../../contracts/error-code';
import { assignRequestId } from '../http/request-id';
import { AppException } from './app-exception';
import { isDuplicateKeyError } from './duplicate-key';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.TooManyRequests,
  503: ErrorCode.ServiceUnavailable,
};

/** Shapes every error as `{statusCode, code, message, details?, correlationId}`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const correlationId = assignRequestId(request, response);
    const { body, headers } = this.toBody(exception, correlationId);
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, correlationId: string): { body: ErrorBody; headers?: Record<string, string> } {
    if (exception instanceof AppException) {
      return {
        body: { statusCode: exception.getStatus(), code: exception.code, message: exception.message, details: exception.details, correlationId },
        headers: exception.headers,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.BadRequest);
      // Structured answers (such as the readiness report) travel as details; Nest's default shape carries nothing new.
      const response = exception.getResponse();
      const details = typeof response === 'object' && !('statusCode' in response) ? response : undefined;
      return { body: { statusCode: status, code, message: exception.message, details, correlationId } };
    }
    if (isDuplicateKeyError(exception)) {
      return { body: { statusCode: 409, code: ErrorCode.Conflict, message: 'A resource with the same unique value already exists', correlationId } };
    }
    this.logger.error({ err: exception, correlationId }, 'Unhandled error');
    return {
      body: { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: ErrorCode.Internal, message: `Internal error (correlation id ${correlationId})`, correlationId },
    };
  }
}

