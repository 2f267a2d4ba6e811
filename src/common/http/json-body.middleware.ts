import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { ErrorCode } from '../../contracts/error-code';
import { AppException } from '../errors/app-exception';

interface BodyParserError {
  type?: string;
  status?: number;
}

/**
 * express.json() with its failures turned into coded errors: Nest would otherwise pass a parse
 * error on as a bare 400 that the error filter cannot tell from any other.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = json({ limit });
  return (request: Request, response: Response, next: NextFunction) =>
    parse(request, response, (error?: unknown) => next(error === undefined ? undefined : describe(error as BodyParserError)));
}

function describe(error: BodyParserError): unknown {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppException(HttpStatus.BAD_REQUEST, ErrorCode.MalformedJson, 'Request body is not valid JSON');
    case 'entity.too.large':
      return new AppException(HttpStatus.PAYLOAD_TOO_LARGE, ErrorCode.PayloadTooLarge, 'Request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UnsupportedMediaType, 'Unsupported request body encoding');
    default:
      return error.status && error.status < 500
        ? new AppException(error.status, ErrorCode.BadRequest, 'Request body could not be read')
        : error;
  }
}
