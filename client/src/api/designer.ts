/** Staff API calls of the form designer (issue 6): forms, drafts, publishing, diff, XLSForm. */
import { z } from 'zod';
import { ApiError, API_BASE } from './index';
import { currentCsrfToken, staffFetch } from './staff';
import {
  DefinitionProblemSchema, FormSchema, FormVersionSchema, FormVersionSummarySchema, FormWithDraftSchema,
  type CreateFormInput, type SurveyDefinition,
} from '../../../common/api/forms';
import { DiffResult, XlsformImportResult, type DiffDto, type XlsformImportDto } from '../../../common/api/designer';
import type { LocalizedText } from '../../../common/localized';

export const FormWithProblems = FormWithDraftSchema.extend({ problems: z.array(DefinitionProblemSchema) });
export type FormWithProblemsDto = z.infer<typeof FormWithProblems>;

export function listForms() {
  return staffFetch('/forms', { schema: z.array(FormSchema) });
}

export function getForm(formId: string) {
  return staffFetch(`/forms/${encodeURIComponent(formId)}`, { schema: FormWithProblems });
}

export function createForm(input: CreateFormInput) {
  return staffFetch('/forms', { method: 'POST', body: input, schema: FormWithProblems });
}

/**
 * PATCH the draft definition (autosave) and/or the title. With `expectedDraftUpdatedAt` (the draft
 * revision last read) a draft someone else saved meanwhile is refused: `ApiError` code `FORM_DRAFT_CONFLICT`.
 */
export function saveDraft(formId: string, patch: { definition?: SurveyDefinition; title?: LocalizedText; expectedDraftUpdatedAt?: string | null }) {
  return staffFetch(`/forms/${encodeURIComponent(formId)}`, { method: 'PATCH', body: patch, schema: FormWithProblems });
}

export function publishForm(formId: string) {
  return staffFetch(`/forms/${encodeURIComponent(formId)}/publish`, { method: 'POST', body: {}, schema: FormVersionSummarySchema });
}

export function getFormVersion(formId: string, version: number) {
  return staffFetch(`/forms/${encodeURIComponent(formId)}/versions/${version}`, { schema: FormVersionSchema });
}

/** The diff of the draft against the last published version (server default). */
export function getDiff(formId: string, range: { from?: number | 'draft'; to?: number | 'draft' } = {}): Promise<DiffDto> {
  return staffFetch(`/forms/${encodeURIComponent(formId)}/diff`, { query: { from: range.from, to: range.to }, schema: DiffResult });
}

/** The download link of a version as an XLSForm (a plain GET: no CSRF needed). */
export function xlsformDownloadUrl(formId: string, version: number): string {
  return `${API_BASE}/forms/${encodeURIComponent(formId)}/versions/${version}/xlsform`;
}

/** POST an .xlsx file to the XLSForm translator. */
export async function importXlsform(file: Blob, kind?: string): Promise<XlsformImportDto> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  const token = currentCsrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch(`${API_BASE}/forms/import/xlsform${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`, {
      method: 'POST', headers, body: file, credentials: 'same-origin', cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError('NETWORK_ERROR', String((error as Error)?.message ?? error), 0);
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const e = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    throw new ApiError(typeof e?.code === 'string' ? e.code : `HTTP_${response.status}`, typeof e?.message === 'string' ? e.message : `HTTP ${response.status}`, response.status, e?.details);
  }
  const parsed = XlsformImportResult.safeParse(json);
  if (!parsed.success) throw new ApiError('BAD_RESPONSE', parsed.error.message, response.status);
  return parsed.data;
}
