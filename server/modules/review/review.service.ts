/**
 * Reading submissions as staff (scoped, masked, reveal audited), review decisions with history,
 * and reviewers' corrections of census answers as new revisions with a diff (the original is never
 * overwritten).
 */
import { randomUUID } from 'node:crypto';
import { UniqueViolation, type DiffEntry, type Storage, type Submission, type SubmissionRevision } from '../../storage/port';
import { AppError } from '../../http/errors';
import type { DataKeys } from '../../security/data-keys';
import { decryptValue, encryptValue, isEncrypted, MissingKeyError } from '../../security/data-keys';
import { blindIndex } from '../../security/data-keys';
import { hasSensitiveFields, maskAnswers, maskValue, protectAnswers, sensitiveFields, unprotectAnswers, type SensitiveKind, type SensitivityMap } from '../../security/census';
import { canonicalJson } from '../../../common/canonical-json';
import { createValidatorCache, type ValidatorCache } from '../../../common/forms/answer-validator';
import { compileAnswerValidator } from '../../../common/forms/compiled-validator';
import type { ReviewDecision } from '../../../common/review';
import type { AuditService } from '../audit/audit.service';
import { covers, holds, scopePaths, type Principal, type UserPrincipal } from '../../auth/principal';
import type { SubmissionService } from '../submissions/submissions.service';

export const SUBMISSION_READERS = ['admin', 'reviewer', 'analyst'] as const;
export const REVIEWERS = ['admin', 'reviewer'] as const;
/** Only reviewers see clear personal data (PIPL: the least access a duty needs); admins see it masked. */
export const REVEALERS = ['reviewer'] as const;

export interface ReviewServiceDeps {
  storage: Storage;
  now: () => Date;
  dataKeys: DataKeys;
  audit: AuditService;
  submissions: SubmissionService;
  validators?: ValidatorCache;
}

export function makeReviewService(deps: ReviewServiceDeps) {
  const { storage, audit, dataKeys } = deps;
  const validators = deps.validators ?? createValidatorCache();
  const maps = new Map<string, Promise<{ map: SensitivityMap; kind: string; definition: Record<string, unknown> } | null>>();

  function formInfo(formId: string, version: number) {
    const key = `${formId}@${version}`;
    if (!maps.has(key)) {
      maps.set(key, (async () => {
        const [f, v] = await Promise.all([storage.forms.get(formId), storage.forms.getVersion(formId, version)]);
        return f && v ? { map: sensitiveFields(v.definition), kind: f.kind, definition: v.definition } : null;
      })());
    }
    return maps.get(key)!;
  }

  async function mustRead(p: Principal, id: string, roles: readonly string[]): Promise<Submission> {
    const s = await storage.submissions.get(id);
    // outside the caller's subtree it does not exist, as far as the caller is concerned
    if (!s || !holds(p, roles, s.orgUnitPath)) throw new AppError('SUBMISSION_NOT_FOUND', { id });
    return s;
  }

  const withKeys = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof MissingKeyError) throw new AppError('DATA_KEY_MISSING', { keyId: err.kid });
      throw err;
    }
  };

  async function current(s: Submission): Promise<{ answers: Record<string, unknown>; revision: number }> {
    const revs = await storage.reviews.revisions(s.id);
    const last = revs[revs.length - 1];
    return last ? { answers: last.answers, revision: last.revision } : { answers: s.answers, revision: 0 };
  }

  /** The API view of one submission: current answers, masked unless `reveal` (reviewers only). */
  async function present(p: Principal, s: Submission, reveal: boolean) {
    const info = await formInfo(s.formId, s.formVersion);
    const { answers, revision } = await current(s);
    const { orgUnitPath: _p, contentHash: _h, ...rest } = s;
    const sensitive = !!info && hasSensitiveFields(info.map);
    let shown = answers;
    if (sensitive) shown = withKeys(() => (reveal ? unprotectAnswers(dataKeys, info.map, s.id, answers) : maskAnswers(dataKeys, info.map, s.id, answers)));
    return { ...rest, answers: shown, revision, masked: sensitive && !reveal };
  }

  async function getOne(p: UserPrincipal, id: string, reveal: boolean) {
    const s = await mustRead(p, id, SUBMISSION_READERS);
    if (reveal && !holds(p, REVEALERS, s.orgUnitPath)) throw new AppError('FORBIDDEN', { requires: REVEALERS });
    const info = await formInfo(s.formId, s.formVersion);
    if (info && (info.kind === 'census' || hasSensitiveFields(info.map))) {
      const unit = await storage.orgUnits.get(s.orgUnitId);
      await audit.record(p, reveal ? 'census.revealed' : 'census.read', { orgUnit: unit ?? { id: s.orgUnitId, path: s.orgUnitPath }, target: { type: 'submission', id: s.id } });
    }
    return present(p, s, reveal);
  }

  async function list(p: UserPrincipal, q: Parameters<SubmissionService['list']>[0]) {
    const page = await deps.submissions.list(q, scopePaths(p, SUBMISSION_READERS));
    const items = [];
    const census = new Map<string, { path: string; ids: string[] }>();
    for (const s of page.items) {
      const info = await formInfo(s.formId, s.formVersion);
      if (info && (info.kind === 'census' || hasSensitiveFields(info.map))) {
        const entry = census.get(s.orgUnitId) ?? { path: s.orgUnitPath, ids: [] };
        entry.ids.push(s.id);
        census.set(s.orgUnitId, entry);
      }
      items.push(await present(p, s, false));
    }
    // listing identified (if masked) census records is a read of them: one event per org unit and page,
    // filed under that org unit so the admins of its subtree see it
    for (const [orgUnitId, { path, ids }] of census) {
      await audit.record(p, 'census.read', { orgUnit: { id: orgUnitId, path }, target: { type: 'submissions', id: ids.length === 1 ? ids[0]! : `${ids.length} records` }, details: { ids } });
    }
    return { items, nextCursor: page.nextCursor };
  }

  async function review(p: UserPrincipal, id: string, input: { state: ReviewDecision; comment?: string | undefined }) {
    const s = await mustRead(p, id, REVIEWERS);
    if (s.reviewState === input.state && !input.comment) throw new AppError('REVIEW_TRANSITION_INVALID', { from: s.reviewState, to: input.state });
    const event = {
      id: randomUUID(), submissionId: id, fromState: s.reviewState, toState: input.state, comment: input.comment ?? null,
      byUserId: p.user.id, byName: p.user.displayName, at: deps.now().toISOString(),
    };
    if (!(await storage.reviews.record(event))) throw new AppError('REVIEW_TRANSITION_INVALID', { reason: 'changed meanwhile / 状态已被他人修改' });
    await audit.record(p, 'submission.reviewed', { orgUnit: { id: s.orgUnitId, path: s.orgUnitPath }, target: { type: 'submission', id }, details: { from: s.reviewState, to: input.state } });
    return event;
  }

  async function history(p: UserPrincipal, id: string) {
    await mustRead(p, id, SUBMISSION_READERS);
    return storage.reviews.history(id);
  }

  function kindAt(map: SensitivityMap, path: string): SensitiveKind | null {
    const m = /^([^[]+)\[\d+\]\.(.+)$/.exec(path);
    if (m) return map.panels.get(m[1]!)?.get(m[2]!) ?? map.top.get(m[1]!) ?? null;
    return map.top.get(path) ?? (map.panels.has(path) ? 'other' : null);
  }

  function diffOf(before: Record<string, unknown>, after: Record<string, unknown>): DiffEntry[] {
    const out: DiffEntry[] = [];
    const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const a = before[key];
      const b = after[key];
      if (same(a, b)) continue;
      if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
        for (let i = 0; i < Math.max(a.length, b.length); i++) {
          const ra = (a[i] ?? {}) as Record<string, unknown>;
          const rb = (b[i] ?? {}) as Record<string, unknown>;
          for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
            if (!same(ra[k], rb[k])) out.push({ path: `${key}[${i}].${k}`, before: ra[k] ?? null, after: rb[k] ?? null });
          }
        }
        continue;
      }
      out.push({ path: key, before: a ?? null, after: b ?? null });
    }
    return out;
  }

  /** A reviewer's correction of a census submission, kept as a new revision with the diff. */
  async function revise(p: UserPrincipal, id: string, input: { changes: Record<string, unknown>; comment: string }) {
    const s = await mustRead(p, id, REVIEWERS);
    const info = await formInfo(s.formId, s.formVersion);
    if (!info || info.kind !== 'census') throw new AppError('REVISION_NOT_ALLOWED');
    const cur = await current(s);
    const before = withKeys(() => unprotectAnswers(dataKeys, info.map, s.id, cur.answers));
    const after: Record<string, unknown> = { ...before };
    for (const [k, v] of Object.entries(input.changes)) { if (v === null) delete after[k]; else after[k] = v; }
    const problems = validators.get(s.formId, s.formVersion, () => compileAnswerValidator(info.definition)).validate(after);
    if (problems.length) throw new AppError('ANSWERS_INVALID', { problems });
    const diff = diffOf(before, after);
    if (!diff.length) throw new AppError('REVISION_UNCHANGED');
    const revision = cur.revision + 1;
    const protectedDiff = diff.map((d) => (kindAt(info.map, d.path)
      ? { path: d.path, before: encryptValue(dataKeys, d.before, `${s.id}:rev${revision}:${d.path}:before`), after: encryptValue(dataKeys, d.after, `${s.id}:rev${revision}:${d.path}:after`) }
      : d));
    const { answers, blindIndexes } = protectAnswers(dataKeys, info.map, s.id, after);
    const rev: SubmissionRevision = {
      submissionId: s.id, revision, answers, diff: protectedDiff, comment: input.comment, byUserId: p.user.id, byName: p.user.displayName, at: deps.now().toISOString(),
    };
    try {
      await storage.reviews.insertRevision(rev);
    } catch (err) {
      if (err instanceof UniqueViolation) throw new AppError('REVIEW_TRANSITION_INVALID', { reason: 'another correction was saved meanwhile / 他人已保存更正' });
      throw err;
    }
    if (blindIndexes.length) await storage.personIndex.add(blindIndexes.map((b) => ({ blindIndex: b, submissionId: s.id })));
    await audit.record(p, 'submission.revised', { orgUnit: { id: s.orgUnitId, path: s.orgUnitPath }, target: { type: 'submission', id }, details: { revision, paths: diff.map((d) => d.path) } });
    return presentRevision(rev, info.map, false);
  }

  function presentRevision(r: SubmissionRevision, map: SensitivityMap, reveal: boolean) {
    const { answers: _a, ...rest } = r;
    return {
      ...rest,
      diff: r.diff.map((d) => {
        const kind = kindAt(map, d.path);
        if (!kind) return d;
        const open = (v: unknown, side: string) => (isEncrypted(v) ? withKeys(() => decryptValue(dataKeys, v, `${r.submissionId}:rev${r.revision}:${d.path}:${side}`)) : v);
        if (reveal) return { path: d.path, before: open(d.before, 'before'), after: open(d.after, 'after') };
        const mask = (v: unknown, side: string) => (kind === 'other' ? '***' : maskValue(open(v, side), kind));
        return { path: d.path, before: mask(d.before, 'before'), after: mask(d.after, 'after') };
      }),
    };
  }

  async function revisions(p: UserPrincipal, id: string, reveal: boolean) {
    const s = await mustRead(p, id, SUBMISSION_READERS);
    if (reveal && !holds(p, REVEALERS, s.orgUnitPath)) throw new AppError('FORBIDDEN', { requires: REVEALERS });
    const info = await formInfo(s.formId, s.formVersion);
    const map = info?.map ?? { top: new Map(), panels: new Map() };
    if (reveal) await audit.record(p, 'census.revealed', { orgUnit: { id: s.orgUnitId, path: s.orgUnitPath }, target: { type: 'submission', id }, details: { what: 'revisions' } });
    return (await storage.reviews.revisions(id)).map((r) => presentRevision(r, map, reveal));
  }

  /** Submissions in the caller's subtree that carry this national ID (blind index; nothing decrypted). */
  async function findPerson(p: UserPrincipal, nationalId: string) {
    const ids = await storage.personIndex.find(blindIndex(dataKeys, nationalId));
    const scope = scopePaths(p, REVIEWERS);
    const found: string[] = [];
    for (const id of ids) {
      const s = await storage.submissions.get(id);
      if (s && covers(scope, s.orgUnitPath)) found.push(id);
    }
    await audit.record(p, 'census.read', { target: { type: 'person-search', id: 'blind-index' }, details: { matches: found.length } });
    return found;
  }

  return { getOne, list, review, history, revise, revisions, findPerson };
}
export type ReviewService = ReturnType<typeof makeReviewService>;
