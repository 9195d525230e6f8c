/** Row ⇄ domain mapping for the SQLite adapter: the only place that knows column names. */
import type { Form, FormVersion, OrgUnit, Submission, SubmissionFacts } from '../port';
import type { OrgUnitLevel } from '../../../common/api/org-units';
import type { FormKind, FormStatus, SurveyDefinition } from '../../../common/api/forms';
import type { ReviewState } from '../../../common/api/submissions';
import type { LocalizedText } from '../../../common/localized';

export interface OrgUnitRow {
  id: string; code: string; name_zh: string; name_en: string | null; level: string;
  parent_id: string | null; path: string; created_at: string; updated_at: string;
}
export interface FormRow {
  id: string; slug: string; kind: string; title_zh: string; title_en: string | null; status: string;
  draft_json: string | null; draft_updated_at: string | null; latest_version: number | null;
  created_at: string; updated_at: string;
}
export interface FormVersionRow {
  form_id: string; version: number; content_hash: string; definition_json: string;
  published_at: string; published_by: string | null;
}
export interface SubmissionRow {
  id: string; form_id: string; form_version: number; org_unit_id: string; org_unit_path: string;
  answers_json: string; content_hash: string; started_at: string; completed_at: string;
  received_at: string; device_id: string | null; review_state: string;
  /** migration 3 */
  facts_json?: string | null;
}

export function localized(zh: string, en: string | null): LocalizedText {
  return en == null ? { zh } : { zh, en };
}

export function orgUnitFromRow(r: OrgUnitRow): OrgUnit {
  return {
    id: r.id, code: r.code, name: localized(r.name_zh, r.name_en), level: r.level as OrgUnitLevel,
    parentId: r.parent_id, path: r.path, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function formFromRow(r: FormRow): Form {
  return {
    id: r.id, slug: r.slug, kind: r.kind as FormKind, title: localized(r.title_zh, r.title_en),
    status: r.status as FormStatus,
    draft: r.draft_json == null ? null : (JSON.parse(r.draft_json) as SurveyDefinition),
    draftUpdatedAt: r.draft_updated_at, latestVersion: r.latest_version,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function formVersionFromRow(r: FormVersionRow): FormVersion {
  return {
    formId: r.form_id, version: r.version, contentHash: r.content_hash,
    definition: JSON.parse(r.definition_json) as SurveyDefinition,
    publishedAt: r.published_at, publishedBy: r.published_by,
  };
}

export function submissionFromRow(r: SubmissionRow): Submission {
  return {
    id: r.id, formId: r.form_id, formVersion: r.form_version, orgUnitId: r.org_unit_id,
    orgUnitPath: r.org_unit_path, answers: JSON.parse(r.answers_json) as Record<string, unknown>,
    contentHash: r.content_hash, startedAt: r.started_at, completedAt: r.completed_at,
    receivedAt: r.received_at, deviceId: r.device_id, reviewState: r.review_state as ReviewState,
    ...(r.facts_json ? { facts: JSON.parse(r.facts_json) as SubmissionFacts } : {}),
  };
}
