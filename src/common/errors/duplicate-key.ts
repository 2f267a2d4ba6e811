/**
 * MongoDB reports a unique index violation as error code 11000, and so does FerretDB on insert;
 * FerretDB 1.24's SQLite backend reports one on update as an internal error naming the constraint.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 11000 || (code === 1 && typeof message === 'string' && message.includes('UNIQUE constraint failed'));
}
