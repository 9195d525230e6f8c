/**
 * Census drafts: a household roster that staff fill over several visits.
 *
 *  - A draft keeps the form version it was started in, and that version's definition is pinned
 *    in `formVersions` (saved in the same transaction as the draft) until the draft is submitted
 *    or deleted — so a draft can always be reopened and finished, even after the form was
 *    republished and the tablet moved on to the new version (field lesson 10).
 *  - `submitDraft` turns the draft into an outbox item in ONE transaction: after a crash either
 *    the draft is still there or the item is queued, never neither and never both. The draft id
 *    becomes the submission id, so submitting the same draft twice cannot make two submissions.
 *
 * Drafts are staff work, not a respondent's kiosk session: `wipeRespondentTraces()` (privacy.ts)
 * does not touch them.
 */
import { z } from 'zod';
import type { SurveyDefinition } from '../../../common/api/forms';
import { IdSchema } from '../../../common/api/org-units';
import { SubmissionItemSchema, type SubmissionItem } from '../../../common/api/submissions';
import {
  DRAFTS_BY_UPDATED_AT,
  STORES,
  formVersionKey,
  requestToPromise,
  runTx,
  type DraftRecord,
  type FormVersionRecord,
  type OutboxRecord,
} from './db';
import { cacheFormVersionInTx, pruneInTx } from './form-versions';
import { newId } from './ids';
import { newRecordFields, putNewInTx, type EnqueueResult } from './outbox';

export type { DraftRecord } from './db';

export const DraftInputSchema = z.object({
  id: z.uuid().optional(),
  formId: IdSchema,
  formVersion: z.number().int().positive(),
  orgUnit: IdSchema,
  data: z.record(z.string().max(200), z.unknown()),
  startedAt: z.iso.datetime({ offset: true }).optional(),
  label: z.string().max(200).default(''),
});
export type DraftInput = z.input<typeof DraftInputSchema>;

export class DraftError extends Error {
  constructor(
    readonly code: 'FORM_VERSION_NOT_CACHED' | 'DRAFT_VERSION_CHANGED' | 'DRAFT_NOT_FOUND',
    message: string,
  ) {
    super(message);
    this.name = 'DraftError';
  }
}

/**
 * Creates or updates a draft. Pass `definition` when the version is not cached yet (the first
 * save of a new draft); without it the version must already be in `formVersions`. A draft's
 * form and version never change once saved (DRAFT_VERSION_CHANGED).
 */
export async function saveDraft(
  input: DraftInput,
  options: { definition?: SurveyDefinition; now?: Date } = {},
): Promise<DraftRecord> {
  const parsed = DraftInputSchema.parse(input);
  const at = (options.now ?? new Date()).toISOString();
  const id = parsed.id ?? newId();
  return runTx([STORES.drafts, STORES.formVersions], 'readwrite', async (tx) => {
    const drafts = tx.objectStore(STORES.drafts);
    const existing = (await requestToPromise(drafts.get(id))) as DraftRecord | undefined;
    if (existing && (existing.formId !== parsed.formId || existing.formVersion !== parsed.formVersion)) {
      throw new DraftError(
        'DRAFT_VERSION_CHANGED',
        `草稿必须在开始时的问卷版本中完成 / A draft stays in the form version it was started in (${formVersionKey(existing.formId, existing.formVersion)})`,
      );
    }
    if (options.definition) {
      await cacheFormVersionInTx(tx, parsed.formId, parsed.formVersion, options.definition, options.now ? { now: options.now } : {});
    } else {
      const cached = await requestToPromise(tx.objectStore(STORES.formVersions).getKey(formVersionKey(parsed.formId, parsed.formVersion)));
      if (cached === undefined) {
        throw new DraftError(
          'FORM_VERSION_NOT_CACHED',
          `本机没有该问卷版本,无法保存草稿 / Form version ${formVersionKey(parsed.formId, parsed.formVersion)} is not on this device`,
        );
      }
    }
    const record: DraftRecord = {
      id,
      formId: parsed.formId,
      formVersion: parsed.formVersion,
      orgUnit: parsed.orgUnit,
      data: parsed.data,
      startedAt: existing?.startedAt ?? parsed.startedAt ?? at,
      updatedAt: at,
      label: parsed.label,
    };
    await requestToPromise(drafts.put(record));
    return record;
  });
}

/** The draft and the definition of the version it was started in. */
export function loadDraft(id: string): Promise<{ draft: DraftRecord; definition: FormVersionRecord | undefined } | undefined> {
  return runTx([STORES.drafts, STORES.formVersions], 'readonly', async (tx) => {
    const draft = (await requestToPromise(tx.objectStore(STORES.drafts).get(id))) as DraftRecord | undefined;
    if (!draft) return undefined;
    const definition = (await requestToPromise(
      tx.objectStore(STORES.formVersions).get(formVersionKey(draft.formId, draft.formVersion)),
    )) as FormVersionRecord | undefined;
    return { draft, definition };
  });
}

/** All drafts, most recently updated first. */
export function listDrafts(): Promise<DraftRecord[]> {
  return runTx(STORES.drafts, 'readonly', async (tx) => {
    const all = (await requestToPromise(tx.objectStore(STORES.drafts).index(DRAFTS_BY_UPDATED_AT).getAll())) as DraftRecord[];
    return all.reverse();
  });
}

/** Deletes a draft and unpins its version if nothing else needs it. */
export function deleteDraft(id: string): Promise<boolean> {
  return runTx([STORES.drafts, STORES.formVersions, STORES.outbox], 'readwrite', async (tx) => {
    const drafts = tx.objectStore(STORES.drafts);
    const exists = (await requestToPromise(drafts.getKey(id))) !== undefined;
    if (exists) {
      await requestToPromise(drafts.delete(id));
      await pruneInTx(tx);
    }
    return exists;
  });
}

/**
 * Moves a finished draft into the outbox, atomically. `answers` defaults to the draft's data.
 * Calling it again after success resolves `{ status: 'exists' }` (the draft is gone, the item is
 * queued); an id in neither store is DRAFT_NOT_FOUND.
 */
export function submitDraft(
  id: string,
  options: { answers?: Record<string, unknown>; completedAt?: string; device?: string; now?: Date } = {},
): Promise<EnqueueResult> {
  const at = (options.now ?? new Date()).toISOString();
  return runTx([STORES.drafts, STORES.outbox, STORES.meta, STORES.formVersions], 'readwrite', async (tx) => {
    const drafts = tx.objectStore(STORES.drafts);
    const draft = (await requestToPromise(drafts.get(id))) as DraftRecord | undefined;
    if (!draft) {
      const queued = (await requestToPromise(tx.objectStore(STORES.outbox).get(id))) as OutboxRecord | undefined;
      if (queued) return { status: 'exists', state: queued.state } as EnqueueResult;
      throw new DraftError('DRAFT_NOT_FOUND', `草稿不存在 / No draft ${id}`);
    }
    const item: SubmissionItem = SubmissionItemSchema.parse({
      id: draft.id,
      formId: draft.formId,
      formVersion: draft.formVersion,
      orgUnit: draft.orgUnit,
      answers: options.answers ?? draft.data,
      startedAt: draft.startedAt,
      completedAt: options.completedAt ?? at,
      ...(options.device !== undefined ? { device: options.device } : {}),
    });
    const result = await putNewInTx(tx, newRecordFields(item, options.now));
    await requestToPromise(drafts.delete(id));
    await pruneInTx(tx);
    return result;
  });
}
