/**
 * Typed fetch for staff screens (the console): the session cookie travels with every call
 * (`credentials: 'same-origin'`), writes carry `X-CSRF-Token`, replies are checked with the shared
 * zod contracts, failures are `ApiError`s with a stable `code` (→ `errorMessage(code, lang)`).
 * A 401 on anything but sign-in calls the handler installed with `onUnauthorized` (the console
 * sends the user to its login page).
 */
import { z } from 'zod';
import { ApiError, API_BASE, errorMessage } from './index';
import { LoginBody, MeSchema, SetupBody, type MeDto } from '../../../common/api/access';

export { ApiError, errorMessage } from './index';

let csrfToken: string | null = null;
let unauthorizedHandler: ((error: ApiError) => void) | null = null;

/** Remember the CSRF token returned by login / `GET /auth/me` (else the `cw_csrf` cookie is read). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function readCsrfCookie(): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'cw_csrf') return decodeURIComponent(rest.join('='));
  }
  return null;
}

export function currentCsrfToken(): string | null {
  return csrfToken ?? readCsrfCookie();
}

/** Install what happens on a 401 (session missing or expired); returns the uninstaller. */
export function onUnauthorized(handler: ((error: ApiError) => void) | null): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

export interface StaffFetchOptions<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** checks the JSON reply; omit for 204 answers */
  schema?: S;
  signal?: AbortSignal;
  /** do not call the 401 handler (sign-in itself answers 401 LOGIN_FAILED) */
  noRedirect?: boolean;
}

/** `path` is relative to `/api/v1` (e.g. `/users`) or absolute (`/api/v1/...`). */
export async function staffFetch<S extends z.ZodType = z.ZodUnknown>(path: string, options: StaffFetchOptions<S> = {}): Promise<z.infer<S>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const token = currentCsrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  const url = withQuery(path.startsWith('/api/') ? path : `${API_BASE}${path}`, options.query);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new ApiError('NETWORK_ERROR', String((error as Error)?.message ?? error), 0);
  }
  let json: unknown = null;
  if (response.status !== 204) {
    try {
      json = await response.json();
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const e = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    const code = typeof e?.code === 'string' ? e.code : `HTTP_${response.status}`;
    const error = new ApiError(code, typeof e?.message === 'string' ? e.message : `HTTP ${response.status}`, response.status, e?.details);
    if (response.status === 401 && !options.noRedirect) unauthorizedHandler?.(error);
    throw error;
  }
  if (!options.schema) return json as z.infer<S>;
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) throw new ApiError('BAD_RESPONSE', parsed.error.message, response.status);
  return parsed.data;
}

/** The message a person reads for a failure, with the wait for lockouts and rate limits. */
export function describeError(error: unknown, lang: 'zh' | 'en'): string {
  if (error instanceof ApiError) {
    const base = errorMessage(error.code, lang, error.message);
    const wait = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (typeof wait === 'number' && wait > 0) {
      const minutes = Math.ceil(wait / 60);
      return lang === 'en'
        ? `${base} (${wait >= 120 ? `about ${minutes} minutes` : `${Math.ceil(wait)} seconds`})`
        : `${base}(约 ${wait >= 120 ? `${minutes} 分钟` : `${Math.ceil(wait)} 秒`})`;
    }
    return base;
  }
  return lang === 'en' ? 'Unexpected error' : '发生意外错误';
}

// ---- session ----

export async function login(username: string, password: string): Promise<MeDto> {
  const body = LoginBody.parse({ username, password });
  const me = await staffFetch('/auth/login', { method: 'POST', body, schema: MeSchema, noRedirect: true });
  setCsrfToken(me.csrfToken);
  return me;
}

/** The signed-in user, or null when there is no valid session (no redirect). */
export async function getMe(): Promise<MeDto | null> {
  try {
    const me = await staffFetch('/auth/me', { schema: MeSchema, noRedirect: true });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export interface SetupInput {
  /** the one-time token from the link the server printed at first start (`…/console/setup#token=…`) */
  token: string;
  username: string;
  displayName: string;
  password: string;
}

/**
 * `POST /auth/setup`: first start only, create the first (system-wide) admin with the one-time
 * setup token; the server signs them in (session cookie) and returns the session with its CSRF token.
 * Failures: `SETUP_TOKEN_INVALID` (wrong or used token), `SETUP_ALREADY_DONE` (an admin exists),
 * `VALIDATION_FAILED` (also thrown here, before any request, for input the contract rejects).
 */
export async function setupFirstAdmin(input: SetupInput): Promise<MeDto> {
  const parsed = SetupBody.safeParse(input);
  if (!parsed.success) throw new ApiError('VALIDATION_FAILED', parsed.error.message, 0, parsed.error.issues);
  const me = await staffFetch('/auth/setup', { method: 'POST', body: parsed.data, schema: MeSchema, noRedirect: true });
  setCsrfToken(me.csrfToken);
  return me;
}

export async function logout(): Promise<void> {
  try {
    await staffFetch('/auth/logout', { method: 'POST', body: {}, noRedirect: true });
  } finally {
    setCsrfToken(null);
  }
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<MeDto> {
  const me = await staffFetch('/auth/password', { method: 'POST', body: { currentPassword, newPassword }, schema: MeSchema });
  setCsrfToken(me.csrfToken);
  return me;
}
