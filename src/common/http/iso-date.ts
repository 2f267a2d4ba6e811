import { isISO8601 } from 'class-validator';

/** class-transformer hook for query dates: a strict ISO 8601 string becomes a Date; anything else is left for @IsDate to refuse. */
export const toDate = ({ value }: { value: unknown }) => (typeof value === 'string' && isISO8601(value, { strict: true }) ? new Date(value) : value);
