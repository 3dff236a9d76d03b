import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

export interface Example {
  summary?: string;
  description?: string;
  value: unknown;
}
export interface MediaType {
  schema?: object;
  examples?: Record<string, Example>;
}
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: object;
  example?: unknown;
  examples?: Record<string, Example>;
}
export interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType>; headers?: Record<string, unknown> }>;
}
export interface OpenApiDocument {
  openapi: string;
  info: { version: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; securitySchemes?: Record<string, unknown> };
}

/** GET /docs/json. */
export async function openApiDocumentOf(app: FastifyInstance): Promise<OpenApiDocument> {
  const response = await app.inject({ method: 'GET', url: '/docs/json' });
  expect(response.statusCode).toBe(200);
  return response.json() as OpenApiDocument;
}

/** Every operation as [`METHOD /path`, operation, path, method]. */
export function operations(document: OpenApiDocument): [string, Operation, string, string][] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, Operation, string, string] => [
      `${method.toUpperCase()} ${path}`,
      operation,
      path,
      method.toUpperCase(),
    ]),
  );
}

/** Compiles a schema of the document (its `#/components/...` references resolved) with ajv. */
export function schemaValidator(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema({ $id: 'openapi.json', components: document.components });
  return (schema: object) =>
    ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"openapi.json#/components')));
}
