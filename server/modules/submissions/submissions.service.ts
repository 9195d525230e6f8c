import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError } from '../../http/errors';
import type { Form, FormVersion, OrgUnit, RollupDelta, Storage, Submission, SubmissionCursor, SubmissionFilter } from '../../storage/port';
import { contentHash } from '../../hash';
import { bilingualMessage, type ErrorCode } from '../../../common/errors';
import { parsePeriod } from '../../../common/periods';
import { SubmissionItemSchema, type AnswerProblem, type ReviewState, type SubmissionItem, type SubmissionResult } from '../../../common/api/submissions';
import { createValidatorCache, type ValidatorCache } from '../../../common/forms/answer-validator';
import { compileAnswerValidator } from '../../../common/forms/compiled-validator';
import type { DataKeys } from '../../security/data-keys';
import { hasSensitiveFields, identifyingAnswers, protectAnswers, sensitiveFields, type SensitivityMap } from '../../security/census';

export interface SubmissionServiceDeps {
  storage: Storage;
  now: () => Date;
  batchMax: number;
  /** Shared across requests: versions are immutable, so a compiled validator never goes stale. */
  validators?: ValidatorCache;
  /** Keys that encrypt `sensitive` answers before they reach storage; without them such forms are refused. */
  dataKeys?: DataKeys;
  /** Scoring at ingestion (issue 5): facts and rollup deltas, applied by insertMany only for stored items. */
  rollups?: { prepare(subs: Submission[]): Promise<(RollupDelta | null)[]>; changed(): void };
}

/** Where a caller may submit: org-unit subtree paths and (for tablets) the forms assigned to it. */
export interface SubmitContext {
  deviceId: string | null;
  orgUnitScope?: string | readonly string[];
  formIds?: readonly string[];
}

/** How far ahead of the server clock a tablet's clock may be before its times are implausible. */
const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;
/** Validate this many items, then let other requests run (survey-core work is synchronous). */
const YIELD_EVERY = 25;

type Pending = { index: number; item: SubmissionItem; submission: Submission; blindIndexes: string[] };

/** Identity of what was answered: a re-send of the same respondent hashes the same. */
function submissionHash(item: SubmissionItem, startedAt: string, completedAt: string): string {
  return contentHash({ formId: item.formId, formVersion: item.formVersion, orgUnit: item.orgUnit, answers: item.answers, startedAt, completedAt });
}

function rejected(index: number, id: string | null, code: ErrorCode, problems?: AnswerProblem[]): SubmissionResult {
  return { id, index, status: 'rejected', code, message: bilingualMessage(code), ...(problems ? { problems } : {}) };
}

export function makeSubmissionService(deps: SubmissionServiceDeps) {
  const { storage } = deps;
  const validators = deps.validators ?? createValidatorCache();

  const sensitivity = new Map<string, SensitivityMap>();
  const scopesOf = (ctx: SubmitContext): readonly string[] | null =>
    ctx.orgUnitScope === undefined ? null : typeof ctx.orgUnitScope === 'string' ? [ctx.orgUnitScope] : ctx.orgUnitScope;

  async function submitBatch(raw: unknown[], ctx: SubmitContext): Promise<SubmissionResult[]> {
    const scopes = scopesOf(ctx);
    if (raw.length > deps.batchMax) throw new AppError('BATCH_TOO_LARGE', { max: deps.batchMax, got: raw.length });
    const results: (SubmissionResult | undefined)[] = new Array(raw.length);
    const forms = new Map<string, Form | null>();
    const versions = new Map<string, FormVersion | null>();
    const units = new Map<string, OrgUnit | null>();
    const nowMs = deps.now().getTime();
    const receivedAt = new Date(nowMs).toISOString();

    // 1. Shape of each item on its own.
    const parsed: { index: number; item: SubmissionItem; startedAt: string; completedAt: string; hash: string }[] = [];
    raw.forEach((value, index) => {
      const r = SubmissionItemSchema.safeParse(value);
      const maybeId = typeof (value as { id?: unknown } | null)?.id === 'string' ? ((value as { id: string }).id.slice(0, 100)) : null;
      if (!r.success) {
        results[index] = rejected(index, maybeId, 'VALIDATION_FAILED', r.error.issues.map((i) => ({
          question: i.path.map(String).join('.') || undefined, code: i.code, message: i.message,
        })));
        return;
      }
      const startedAt = new Date(r.data.startedAt).toISOString();
      const completedAt = new Date(r.data.completedAt).toISOString();
      parsed.push({ index, item: r.data, startedAt, completedAt, hash: submissionHash(r.data, startedAt, completedAt) });
    });

    // 2. Re-sends first: an id the server already holds is answered from what it holds, whatever
    //    happened since (form archived, device re-assigned) — a lost reply must never turn a stored
    //    respondent into a rejection the tablet keeps forever.
    const known = await storage.submissions.getHashes(parsed.map((p) => p.item.id));
    const pending: Pending[] = [];
    let validated = 0;
    for (const p of parsed) {
      const { index, item } = p;
      const existingHash = known.get(item.id);
      if (existingHash !== undefined) {
        results[index] = existingHash === p.hash
          ? { id: item.id, index, status: 'duplicate' }
          : { id: item.id, index, status: 'conflict', code: 'SUBMISSION_CONFLICT', message: bilingualMessage('SUBMISSION_CONFLICT') };
        continue;
      }
      // 3. References: the exact form version it was filled with, and a known org unit.
      if (!forms.has(item.formId)) forms.set(item.formId, await storage.forms.get(item.formId));
      const form = forms.get(item.formId);
      if (!form) { results[index] = rejected(index, item.id, 'FORM_NOT_FOUND'); continue; }
      if (form.status === 'archived') { results[index] = rejected(index, item.id, 'FORM_ARCHIVED'); continue; }
      if (ctx.formIds && !ctx.formIds.includes(form.id)) { results[index] = rejected(index, item.id, 'FORM_NOT_ASSIGNED'); continue; }
      const vkey = `${item.formId}@${item.formVersion}`;
      if (!versions.has(vkey)) versions.set(vkey, await storage.forms.getVersion(item.formId, item.formVersion));
      const version = versions.get(vkey);
      if (!version) { results[index] = rejected(index, item.id, 'FORM_VERSION_NOT_FOUND'); continue; }
      if (!units.has(item.orgUnit)) units.set(item.orgUnit, await storage.orgUnits.get(item.orgUnit));
      const unit = units.get(item.orgUnit);
      if (!unit || (scopes && !scopes.some((sc) => unit.path.startsWith(sc)))) { results[index] = rejected(index, item.id, 'ORG_UNIT_NOT_FOUND'); continue; }
      // 4. Plausible times.
      const started = Date.parse(p.startedAt);
      const completed = Date.parse(p.completedAt);
      if (started > completed || completed > nowMs + CLOCK_SKEW_MS) { results[index] = rejected(index, item.id, 'TIMESTAMPS_INVALID'); continue; }
      // 5. Answers against that version.
      const validator = validators.get(item.formId, item.formVersion, () => compileAnswerValidator(version.definition));
      const problems = validator.validate(item.answers);
      if (++validated % YIELD_EVERY === 0) await yieldToEventLoop();
      if (problems.length) { results[index] = rejected(index, item.id, 'ANSWERS_INVALID', problems); continue; }
      // 6. Anonymous forms carry no identifying value, even typed into a free-text answer.
      if (form.kind === 'knowledge' || form.kind === 'satisfaction') {
        const identifying = identifyingAnswers(item.answers);
        if (identifying.length) {
          results[index] = rejected(index, item.id, 'IDENTIFYING_DATA_REFUSED', identifying.map((q) => ({ question: q, code: 'IDENTIFYING_DATA_REFUSED', message: bilingualMessage('IDENTIFYING_DATA_REFUSED') })));
          continue;
        }
      }
      // 7. Personal data is encrypted here, before it reaches any storage adapter.
      if (!sensitivity.has(vkey)) sensitivity.set(vkey, sensitiveFields(version.definition));
      const map = sensitivity.get(vkey)!;
      let answers = item.answers;
      let blindIndexes: string[] = [];
      if (hasSensitiveFields(map)) {
        if (!deps.dataKeys) { results[index] = rejected(index, item.id, 'DATA_KEY_MISSING'); continue; }
        ({ answers, blindIndexes } = protectAnswers(deps.dataKeys, map, item.id, item.answers));
      }
      pending.push({
        index, item, blindIndexes,
        submission: {
          id: item.id, formId: item.formId, formVersion: item.formVersion, orgUnitId: unit.id, orgUnitPath: unit.path,
          answers, contentHash: p.hash, startedAt: p.startedAt, completedAt: p.completedAt, receivedAt,
          deviceId: ctx.deviceId ?? item.device ?? null, reviewState: 'received',
        },
      });
    }

    // 8. One write for everything valid, then the blind index of the national IDs just stored.
    if (pending.length) {
      const subs = pending.map((p) => p.submission);
      const deltas = deps.rollups ? await deps.rollups.prepare(subs) : undefined;
      const outcomes = await storage.submissions.insertMany(subs, deltas);
      if (deps.rollups && outcomes.includes('stored')) deps.rollups.changed();
      const index = pending.flatMap((p, i) => (outcomes[i] === 'stored' ? p.blindIndexes.map((b) => ({ blindIndex: b, submissionId: p.item.id })) : []));
      if (index.length) await storage.personIndex.add(index);
      pending.forEach((p, i) => {
        const outcome = outcomes[i] ?? 'conflict';
        results[p.index] = outcome === 'conflict'
          ? { id: p.item.id, index: p.index, status: 'conflict', code: 'SUBMISSION_CONFLICT', message: bilingualMessage('SUBMISSION_CONFLICT') }
          : { id: p.item.id, index: p.index, status: outcome };
      });
    }
    return results.map((r, index) => r ?? rejected(index, null, 'INTERNAL'));
  }

  /**
   * `scope`: the subtree paths the caller may read (null = everything). A request for an org unit
   * outside them is FORBIDDEN; without `orgUnit`, a caller with exactly one subtree gets it, one
   * with several must name one (ORG_UNIT_REQUIRED).
   */
  async function list(
    q: { formId?: string; formVersion?: number; orgUnit?: string; period?: string; reviewState?: readonly ReviewState[]; cursor?: string; limit: number },
    scope: readonly string[] | null = null,
  ) {
    const filter: SubmissionFilter = {};
    if (q.formId) filter.formId = q.formId;
    if (q.reviewState) filter.reviewStates = q.reviewState;
    if (q.formVersion) filter.formVersion = q.formVersion;
    if (q.orgUnit) {
      const unit = await storage.orgUnits.get(q.orgUnit);
      if (!unit) throw new AppError('ORG_UNIT_NOT_FOUND', { id: q.orgUnit });
      if (scope && !scope.some((sc) => unit.path.startsWith(sc))) throw new AppError('FORBIDDEN', { orgUnit: q.orgUnit });
      filter.orgUnitPath = unit.path;
    } else if (scope && !scope.includes('/')) {
      if (scope.length !== 1) throw new AppError('ORG_UNIT_REQUIRED', { subtrees: scope.length });
      filter.orgUnitPath = scope[0]!;
    }
    if (q.period) {
      const p = parsePeriod(q.period);
      if (!p) throw new AppError('VALIDATION_FAILED', { issues: [{ in: 'query', path: 'period', message: 'unknown period' }] });
      filter.completedFrom = p.start;
      filter.completedTo = p.end;
    }
    const page = await storage.submissions.list(filter, q.cursor ? decodeCursor(q.cursor) : null, q.limit);
    return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  return {
    submitBatch,
    list,
    async get(id: string) {
      const s = await storage.submissions.get(id);
      if (!s) throw new AppError('SUBMISSION_NOT_FOUND', { id });
      return s;
    },
  };
}

export type SubmissionService = ReturnType<typeof makeSubmissionService>;

export function encodeCursor(c: SubmissionCursor): string {
  return Buffer.from(JSON.stringify([c.receivedAt, c.id])).toString('base64url');
}

export function decodeCursor(s: string): SubmissionCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) {
      return { receivedAt: v[0], id: v[1] };
    }
  } catch {
    // fall through: any undecodable cursor is the client's mistake, not a server error
  }
  throw new AppError('INVALID_CURSOR');
}
