/** Lean MongoDB documents → the port's plain types (no _id, no __v, null where the port says null). */
import type { LocalizedText } from '../../../common/localized';
import type { Form, FormVersion, OrgUnit, OrgUnitGroup, Submission } from '../port';
import type { FormDoc, FormVersionDoc, OrgUnitDoc, OrgUnitGroupDoc, SubmissionDoc } from './models';

export function text(t: LocalizedText): LocalizedText {
  return t.en === undefined || t.en === null ? { zh: t.zh } : { zh: t.zh, en: t.en };
}

export function toOrgUnit(d: OrgUnitDoc): OrgUnit {
  return {
    id: d._id,
    code: d.code,
    name: text(d.name),
    level: d.level,
    parentId: d.parentId ?? null,
    path: d.path,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export function fromOrgUnit(u: OrgUnit): OrgUnitDoc {
  return { _id: u.id, code: u.code, name: text(u.name), level: u.level, parentId: u.parentId, path: u.path, createdAt: u.createdAt, updatedAt: u.updatedAt };
}

export function toGroup(d: OrgUnitGroupDoc): OrgUnitGroup {
  return { id: d._id, code: d.code, name: text(d.name), memberIds: [...(d.memberIds ?? [])] };
}

export function toForm(d: FormDoc): Form {
  return {
    id: d._id,
    slug: d.slug,
    kind: d.kind,
    title: text(d.title),
    status: d.status,
    draft: d.draft ?? null,
    draftUpdatedAt: d.draftUpdatedAt ?? null,
    latestVersion: d.latestVersion ?? null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export function toFormVersion(d: FormVersionDoc): FormVersion {
  return {
    formId: d.formId,
    version: d.version,
    contentHash: d.contentHash,
    definition: d.definition,
    publishedAt: d.publishedAt,
    publishedBy: d.publishedBy ?? null,
  };
}

export function toSubmission(d: SubmissionDoc): Submission {
  return {
    id: d._id,
    formId: d.formId,
    formVersion: d.formVersion,
    orgUnitId: d.orgUnitId,
    orgUnitPath: d.orgUnitPath,
    answers: d.answers ?? {},
    contentHash: d.contentHash,
    startedAt: d.startedAt,
    completedAt: d.completedAt,
    receivedAt: d.receivedAt,
    deviceId: d.deviceId ?? null,
    reviewState: d.reviewState,
    ...(d.facts ? { facts: d.facts } : {}),
  };
}

export function fromSubmission(s: Submission): SubmissionDoc {
  return {
    _id: s.id,
    formId: s.formId,
    formVersion: s.formVersion,
    orgUnitId: s.orgUnitId,
    orgUnitPath: s.orgUnitPath,
    answers: s.answers,
    contentHash: s.contentHash,
    startedAt: s.startedAt,
    completedAt: s.completedAt,
    receivedAt: s.receivedAt,
    deviceId: s.deviceId,
    reviewState: s.reviewState,
    ...(s.facts ? { facts: s.facts } : {}),
  };
}

/** Escapes a literal for use inside a RegExp (path prefixes are matched with an anchored regex). */
export function prefixRegex(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`);
}
