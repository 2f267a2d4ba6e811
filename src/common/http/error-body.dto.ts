import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorBody, ErrorCode } from '../../contracts/error-code';

/** The OpenAPI description of every error answer (see AllExceptionsFilter). */
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.ValidationFailed }) code: ErrorCode;
  @ApiProperty({ example: 'Validation failed: slug: slug must be 2-40 lowercase letters, digits or dashes' }) message: string;
  @ApiPropertyOptional({ description: 'For VALIDATION_FAILED: [{field, errors[]}]' }) details?: unknown;
  @ApiProperty({ description: 'Also sent as the X-Request-Id header and written to the logs' }) correlationId: string;
}
