/** Stable error codes carried in every error body's `code`; clients branch on these, never on messages. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedJson = 'MALFORMED_JSON',
  InvalidId = 'INVALID_ID',
  BadRequest = 'BAD_REQUEST',
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidToken = 'INVALID_TOKEN',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  InvalidRefreshToken = 'INVALID_REFRESH_TOKEN',
  RefreshTokenReused = 'REFRESH_TOKEN_REUSED',
  Forbidden = 'FORBIDDEN',
  WrongAudience = 'WRONG_AUDIENCE',
  ReadOnly = 'READ_ONLY',
  TenantSuspended = 'TENANT_SUSPENDED',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  TenantHasResources = 'TENANT_HAS_RESOURCES',
  LastOwner = 'LAST_OWNER',
  HostHasVms = 'HOST_HAS_VMS',
  InvalidEnrollmentToken = 'INVALID_ENROLLMENT_TOKEN',
  QuotaExceeded = 'QUOTA_EXCEEDED',
  NoCapacity = 'NO_CAPACITY',
  VmBusy = 'VM_BUSY',
  VmMustBeOff = 'VM_MUST_BE_OFF',
  InvalidState = 'INVALID_STATE',
  ImageInUse = 'IMAGE_IN_USE',
  TaskNotCancellable = 'TASK_NOT_CANCELLABLE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode | string;
  message: string;
  details?: unknown;
  correlationId: string;
}
