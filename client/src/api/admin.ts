/**
 * Typed staff API for the access screens (issue 3): org units, forms (read), users, tablets,
 * submissions and review, audit log. One function per endpoint, built on `staffFetch`.
 */
import { z } from 'zod';
import { staffFetch, withQuery } from './staff';
import { API_BASE as API_PATH } from './index';
import {
  AuditEventSchema, DeviceSchema, ReviewEventSchema, RevisionSchema, UserSchema,
  type AuditType, type RoleAssignment, type UserDto, type DeviceDto, type AuditEventDto,
} from '../../../common/api/access';
import { EnrolmentSchema, type EnrolmentDto } from '../../../common/api/devices';
import { OrgUnitSchema, type OrgUnitDto } from '../../../common/api/org-units';
import { FormSchema, FormVersionSchema, type FormDto, type FormVersionDto } from '../../../common/api/forms';
import { SubmissionSchema, type ReviewState } from '../../../common/api/submissions';
import type { ReviewDecision } from '../../../common/review';

export type { UserDto, DeviceDto, AuditEventDto, EnrolmentDto, OrgUnitDto, FormDto, FormVersionDto };

// ---- org units & forms (pickers) ----

export function listOrgUnits(query: { root?: string } = {}): Promise<OrgUnitDto[]> {
  return staffFetch('/org-units', { query, schema: z.array(OrgUnitSchema) });
}

export function listForms(query: { status?: 'draft' | 'published' | 'archived' } = {}): Promise<FormDto[]> {
  return staffFetch('/forms', { query, schema: z.array(FormSchema) });
}

export function getFormVersion(formId: string, version: number): Promise<FormVersionDto> {
  return staffFetch(`/forms/${encodeURIComponent(formId)}/versions/${version}`, { schema: FormVersionSchema });
}

// ---- users ----

export function listUsers(): Promise<UserDto[]> {
  return staffFetch('/users', { schema: z.array(UserSchema) });
}

export function createUser(input: { username: string; displayName: string; password: string; roles: RoleAssignment[] }): Promise<UserDto> {
  return staffFetch('/users', { method: 'POST', body: input, schema: UserSchema });
}

export function updateUser(id: string, changes: { displayName?: string; roles?: RoleAssignment[]; disabled?: boolean }): Promise<UserDto> {
  return staffFetch(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes, schema: UserSchema });
}

export function resetPassword(id: string, password: string): Promise<{ ok: true }> {
  return staffFetch(`/users/${encodeURIComponent(id)}/password`, { method: 'POST', body: { password }, schema: z.object({ ok: z.literal(true) }) });
}

export function revokeSessions(id: string): Promise<{ revoked: number }> {
  return staffFetch(`/users/${encodeURIComponent(id)}/sessions/revoke`, { method: 'POST', body: {}, schema: z.object({ revoked: z.number() }) });
}

// ---- tablets ----

export function createEnrolment(input: { orgUnitId: string; formIds: string[]; label?: string }): Promise<EnrolmentDto> {
  return staffFetch('/devices/enrolments', { method: 'POST', body: input, schema: EnrolmentSchema });
}

export function listDevices(): Promise<DeviceDto[]> {
  return staffFetch('/devices', { schema: z.array(DeviceSchema) });
}

export function updateDevice(id: string, changes: { label?: string; orgUnitId?: string; formIds?: string[] }): Promise<DeviceDto> {
  return staffFetch(`/devices/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes, schema: DeviceSchema });
}

export function revokeDevice(id: string): Promise<DeviceDto> {
  return staffFetch(`/devices/${encodeURIComponent(id)}/revoke`, { method: 'POST', body: {}, schema: DeviceSchema });
}

// ---- submissions & review ----

/** What staff see of a submission (server: submissions.routes.ts): current answers, masked unless revealed. */
export const SubmissionViewSchema = SubmissionSchema.extend({ revision: z.number().int(), masked: z.boolean() });
export type SubmissionViewDto = z.infer<typeof SubmissionViewSchema>;
export type ReviewEventDto = z.infer<typeof ReviewEventSchema>;
export type RevisionDto = z.infer<typeof RevisionSchema>;

export interface SubmissionFilter {
  formId?: string;
  orgUnit?: string;
  period?: string;
  /** one or several review states; sent comma-separated (`received,has_issues`) */
  reviewState?: readonly ReviewState[];
  cursor?: string;
  limit?: number;
}

export function listSubmissions(filter: SubmissionFilter): Promise<{ items: SubmissionViewDto[]; nextCursor: string | null }> {
  const { reviewState, ...rest } = filter;
  const query = reviewState && reviewState.length ? { ...rest, reviewState: reviewState.join(',') } : rest;
  return staffFetch('/submissions', { query, schema: z.object({ items: z.array(SubmissionViewSchema), nextCursor: z.string().nullable() }) });
}

/** `reveal`: clear personal data (reviewers on that org unit only; the server audits it). */
export function getSubmission(id: string, reveal = false): Promise<SubmissionViewDto> {
  return staffFetch(`/submissions/${encodeURIComponent(id)}`, { query: reveal ? { reveal: 'true' } : {}, schema: SubmissionViewSchema });
}

export function reviewHistory(id: string): Promise<ReviewEventDto[]> {
  return staffFetch(`/submissions/${encodeURIComponent(id)}/review`, { schema: z.array(ReviewEventSchema) });
}

export function recordReview(id: string, state: ReviewDecision, comment?: string): Promise<ReviewEventDto> {
  return staffFetch(`/submissions/${encodeURIComponent(id)}/review`, {
    method: 'POST', body: { state, ...(comment ? { comment } : {}) }, schema: ReviewEventSchema,
  });
}

/** A reviewer's correction of a census submission: changed answers (question → value, null = cleared) and a reason. */
export function reviseSubmission(id: string, changes: Record<string, unknown>, comment: string): Promise<RevisionDto> {
  return staffFetch(`/submissions/${encodeURIComponent(id)}/revisions`, { method: 'POST', body: { changes, comment }, schema: RevisionSchema });
}

export function listRevisions(id: string, reveal = false): Promise<RevisionDto[]> {
  return staffFetch(`/submissions/${encodeURIComponent(id)}/revisions`, { query: reveal ? { reveal: 'true' } : {}, schema: z.array(RevisionSchema) });
}

// ---- audit ----

export interface AuditFilter {
  type?: AuditType;
  actor?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export function listAudit(filter: AuditFilter): Promise<{ items: AuditEventDto[]; nextCursor: string | null }> {
  return staffFetch('/audit', { query: { ...filter }, schema: z.object({ items: z.array(AuditEventSchema), nextCursor: z.string().nullable() }) });
}

/** The CSV export's URL (a plain GET link: the session cookie goes along, no CSRF token needed). */
export function auditCsvUrl(filter: Omit<AuditFilter, 'cursor' | 'limit'>): string {
  return withQuery(`${API_PATH}/audit.csv`, { ...filter });
}
