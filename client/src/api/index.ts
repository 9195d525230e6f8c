/**
 * Typed fetch client for the kiosk: one function per endpoint it calls, every reply checked with
 * the shared zod contract, every failure an `ApiError` with a stable `code`.
 * (Submissions are sent by the offline core's sync loop, `offline/sync.ts`, not from here.)
 */
import type { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../../common/errors';
import { DeviceConfigSchema, EnrolResponse, type DeviceConfigDto, type EnrolResponseDto } from '../../../common/api/devices';
import { FormVersionSchema, type FormVersionDto } from '../../../common/api/forms';

export const API_BASE = '/api/v1';
/** Device contract paths (common/api/devices.ts). */
export const PATHS = {
  enrol: `${API_BASE}/devices/enrol`,
  deviceConfig: `${API_BASE}/device/config`,
  formVersion: (formId: string, version: number) => `${API_BASE}/forms/${encodeURIComponent(formId)}/versions/${version}`,
} as const;

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Client-side codes next to the server's catalogue. */
export const CLIENT_ERROR_CODES = {
  NETWORK_ERROR: { zh: '网络连接失败,请检查网络后重试', en: 'Network error: check the connection and try again' },
  BAD_RESPONSE: { zh: '服务器回复无法识别', en: 'The server reply could not be read' },
  TIMEOUT: { zh: '服务器无响应', en: 'The server did not answer in time' },
} as const;

/** What a person reads for an error code, in the UI language; falls back to the server's text. */
export function errorMessage(code: string, lang: 'zh' | 'en', fallback = ''): string {
  const info = (ERROR_CODES as Record<string, { zh: string; en: string }>)[code] ?? (CLIENT_ERROR_CODES as Record<string, { zh: string; en: string }>)[code];
  if (info) return lang === 'en' ? info.en : info.zh;
  return fallback || code;
}

export function isServerErrorCode(code: string): code is ErrorCode {
  return code in ERROR_CODES;
}

interface RequestOptions<S extends z.ZodType> {
  method?: 'GET' | 'POST';
  body?: unknown;
  token?: string | null;
  schema: S;
  signal?: AbortSignal;
}

async function request<S extends z.ZodType>(path: string, options: RequestOptions<S>): Promise<z.infer<S>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      cache: 'no-store',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw new ApiError('NETWORK_ERROR', String((error as Error)?.message ?? error), 0);
  }
  let json: unknown = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  if (!response.ok) {
    const e = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    const code = typeof e?.code === 'string' ? e.code : `HTTP_${response.status}`;
    throw new ApiError(code, typeof e?.message === 'string' ? e.message : `HTTP ${response.status}`, response.status, e?.details);
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) throw new ApiError('BAD_RESPONSE', parsed.error.message, response.status);
  return parsed.data;
}

/** POST /devices/enrol: exchange a one-time enrolment code for the device credential. */
export function enrolDevice(code: string, deviceLabel?: string): Promise<EnrolResponseDto> {
  return request(PATHS.enrol, { method: 'POST', body: { code, ...(deviceLabel ? { deviceLabel } : {}) }, schema: EnrolResponse });
}

/** GET /device/config: the village, its groups and the assigned forms (latest versions). */
export function getDeviceConfig(token: string): Promise<DeviceConfigDto> {
  return request(PATHS.deviceConfig, { token, schema: DeviceConfigSchema });
}

/** GET /forms/:formId/versions/:version: one immutable published version with its definition. */
export function getFormVersion(formId: string, version: number, token: string | null): Promise<FormVersionDto> {
  return request(PATHS.formVersion(formId, version), { token, schema: FormVersionSchema });
}
