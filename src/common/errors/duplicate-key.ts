/** MongoDB (and FerretDB) report a unique index violation as error code 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000;
}
