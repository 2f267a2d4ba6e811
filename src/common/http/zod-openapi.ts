import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z, ZodType } from 'zod';

/** The OpenAPI schema of a zod schema from src/contracts. */
export function openApiSchemaOf(schema: ZodType): SchemaObject {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return jsonSchema as SchemaObject;
}

/** Documents a DTO property whose type is defined by a contract schema (the swagger plugin cannot see through zod types). */
export function ApiPropertyFromZod(schema: ZodType, options: { nullable?: boolean; isArray?: boolean } = {}): PropertyDecorator {
  const json = openApiSchemaOf(schema);
  return ApiProperty((options.isArray ? { type: 'array', items: json } : { ...json, nullable: options.nullable }) as ApiPropertyOptions);
}
