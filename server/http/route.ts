/**
 * Routes are declared as data: method, path, who may call it, zod schemas for params/query/body
 * and the response. One wrapper parses the input, calls the handler and sends JSON. The same
 * declarations generate the OpenAPI document and let a test walk every route's access rule.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z, type ZodType } from 'zod';
import { AppError, zodDetails } from './errors';
import type { Principal } from '../auth/principal';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route. `public` needs nothing; `staff` needs a signed-in user holding one of
 * the roles on the org unit concerned; `device` needs an enrolled tablet's credential.
 */
export type AccessRule =
  | { kind: 'public'; why: string }
  | { kind: 'staff'; roles: readonly string[] }
  | { kind: 'device' }
  | { kind: 'staff-or-device'; roles: readonly string[] };

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
  /** the caller, resolved by the access guard (null on public routes) */
  principal: Principal | null;
}

/** Resolves and checks the caller of a route (throws AppError 401/403/429); see server/auth/guard.ts. */
export type AccessGuard = (rule: AccessRule, req: Request, res: Response) => Promise<Principal | null>;

/** Return this from a handler that wrote its own response (a stream, a file, a redirect). */
export const RESPONDED = Symbol('responded');

export interface RouteDef<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: HttpMethod;
  /** Express path under /api/v1, e.g. '/forms/:formId' */
  path: string;
  summary: string;
  tag: string;
  access: AccessRule;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  response?: ZodType<R>;
  /** HTTP status on success (default 200). */
  status?: number;
  /**
   * Content type the body must have (default JSON for methods with a body). `xlsx`: an Excel
   * file (the XLSX MIME type or application/octet-stream), parsed into a Buffer.
   */
  consumes?: 'json' | 'text/csv' | 'xlsx';
  /** Body size limit for this route (default: the app's JSON limit). */
  bodyLimit?: string;
  handler: (input: HandlerInput<P, Q, B>) => Promise<R | typeof RESPONDED>;
}

/** Keeps the generic types of one route while collecting heterogeneous routes in an array. */
export function defineRoute<P, Q, B, R>(def: RouteDef<P, Q, B, R>): RouteDef {
  return def as unknown as RouteDef;
}

function parseOrThrow<T>(schema: ZodType<T> | undefined, value: unknown, where: 'body' | 'query' | 'params'): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('VALIDATION_FAILED', zodDetails(r.error, where));
  return r.data;
}

export function mountRoutes(router: Router, routes: readonly RouteDef[], opts: { jsonLimit: string; guard: AccessGuard }): void {
  const json = express.json({ limit: opts.jsonLimit, strict: true });
  const text = express.text({ limit: opts.jsonLimit, type: ['text/csv', 'text/plain'] });
  for (const r of routes) {
    const hasBody = r.method !== 'get' && r.method !== 'delete';
    const parser = r.consumes === 'xlsx'
      ? express.raw({ limit: r.bodyLimit ?? opts.jsonLimit, type: [...XLSX_TYPES] })
      : r.consumes === 'text/csv' ? (r.bodyLimit ? express.text({ limit: r.bodyLimit, type: ['text/csv', 'text/plain'] }) : text)
        : r.bodyLimit ? express.json({ limit: r.bodyLimit, strict: true }) : json;
    const parsers = hasBody ? [requireContentType(r.consumes ?? 'json'), parser] : [];
    // The guard runs first: nobody's body is parsed before we know who they are.
    const guard = async (req: Request, res: Response, next: (err?: unknown) => void) => {
      res.locals.principal = await opts.guard(r.access, req, res);
      next();
    };
    router[r.method](r.path, guard, ...parsers, async (req: Request, res: Response) => {
      const params = parseOrThrow(r.params, req.params, 'params');
      const query = parseOrThrow(r.query, req.query, 'query');
      const body = hasBody ? parseOrThrow(r.body, req.body, 'body') : undefined;
      const result = await r.handler({ params, query, body, req, res, principal: (res.locals.principal as Principal | null | undefined) ?? null });
      if (result === RESPONDED) return;
      res.status(r.status ?? 200).json(result);
    });
  }
}

/** Content types accepted for an `xlsx` body. */
export const XLSX_TYPES = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'] as const;

function requireContentType(kind: 'json' | 'text/csv' | 'xlsx') {
  return (req: Request, _res: Response, next: (err?: unknown) => void) => {
    const hasBody = (req.headers['content-length'] && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'];
    if (!hasBody) return next();
    const ok = kind === 'json' ? req.is('application/json') : kind === 'xlsx' ? req.is([...XLSX_TYPES]) : req.is(['text/csv', 'text/plain']);
    next(ok ? undefined : new AppError('UNSUPPORTED_MEDIA_TYPE'));
  };
}

/** Params schema for `/:id`-style routes. */
export const idParams = <K extends string>(...keys: K[]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)])) as Record<K, z.ZodString>);
