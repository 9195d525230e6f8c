import { z, type ZodType } from 'zod';
import type { RouteDef } from './route';

/** JSON Schema of a zod schema for the document; schemas that cannot be expressed become `{}`. */
function schemaOf(s: ZodType | undefined, io: 'input' | 'output'): Record<string, unknown> | undefined {
  if (!s) return undefined;
  try {
    const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
  } catch {
    return {};
  }
}

/** OpenAPI 3.1 generated from the same route declarations that validate requests. */
export function buildOpenApi(routes: readonly RouteDef[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = `/api/v1${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const params: unknown[] = [];
    const paramSchema = schemaOf(r.params, 'input') as { properties?: Record<string, unknown> } | undefined;
    for (const [name, schema] of Object.entries(paramSchema?.properties ?? {})) params.push({ name, in: 'path', required: true, schema });
    const querySchema = schemaOf(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] } | undefined;
    for (const [name, schema] of Object.entries(querySchema?.properties ?? {})) {
      params.push({ name, in: 'query', required: querySchema?.required?.includes(name) ?? false, schema });
    }
    const body = schemaOf(r.body, 'input');
    (paths[p] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      'x-access': r.access,
      security: r.access.kind === 'public' ? [] : r.access.kind === 'device' ? [{ device: [] }] : r.access.kind === 'staff' ? [{ session: [], csrf: [] }] : [{ session: [], csrf: [] }, { device: [] }],
      parameters: params,
      ...(body ? { requestBody: { required: true, content: { [r.consumes === 'text/csv' ? 'text/csv' : r.consumes === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/json']: { schema: body } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: schemaOf(r.response, 'output') ?? {} } } },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'CunWen (村问) API', version: info.version },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'cw_session', description: 'staff session (POST /auth/login)' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'required on staff writes; from /auth/me or the cw_csrf cookie' },
        device: { type: 'http', scheme: 'bearer', description: 'tablet credential (POST /devices/enrol)' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}
