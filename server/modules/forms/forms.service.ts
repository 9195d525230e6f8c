import { randomUUID } from 'node:crypto';
import { AppError } from '../../http/errors';
import { UniqueViolation, type Form, type FormVersion, type Storage } from '../../storage/port';
import { contentHash } from '../../hash';
import { checkDefinition } from '../../../common/forms/check-definition';
import type { CreateFormInput, DefinitionProblem, FormKind, FormStatus, SurveyDefinition } from '../../../common/api/forms';
import type { LocalizedText } from '../../../common/localized';

export interface FormServiceDeps {
  storage: Storage;
  now: () => Date;
}

/**
 * Problems a draft may still have while someone is working on it (the designer autosaves);
 * publishing refuses every problem.
 */
const DRAFT_TOLERATED = new Set(['MISSING_CORRECT_ANSWER', 'EMPTY', 'EXPRESSION_ERROR']);

/** An overwrite (no expected revision) that keeps losing the conditional write to others gives up with a 409. */
const MAX_SAVE_ATTEMPTS = 5;

export function makeFormService(deps: FormServiceDeps) {
  const { storage } = deps;

  async function mustGet(id: string): Promise<Form> {
    const f = await storage.forms.get(id);
    if (!f) throw new AppError('FORM_NOT_FOUND', { id });
    return f;
  }

  function checkDraft(kind: FormKind, definition: SurveyDefinition): DefinitionProblem[] {
    const problems = checkDefinition(kind, definition);
    const blocking = problems.filter((p) => !DRAFT_TOLERATED.has(p.code));
    if (blocking.length) throw new AppError('FORM_DEFINITION_INVALID', { problems: blocking });
    return problems;
  }

  async function create(input: CreateFormInput): Promise<Form & { problems: DefinitionProblem[] }> {
    const problems = checkDraft(input.kind, input.definition);
    const at = deps.now().toISOString();
    const form: Form = {
      id: randomUUID(), slug: input.slug, kind: input.kind, title: input.title, status: 'draft',
      draft: input.definition, draftUpdatedAt: at, latestVersion: null, createdAt: at, updatedAt: at,
    };
    try {
      await storage.forms.insert(form);
    } catch (err) {
      if (err instanceof UniqueViolation) throw new AppError('DUPLICATE_SLUG', { slug: input.slug });
      throw err;
    }
    return { ...form, problems };
  }

  /**
   * Saving a draft is optimistic concurrency enforced by the database, not by this process:
   * several server instances may share one database (docs/deploy-mongodb.md), so an in-process
   * lock could not stop two of them from both passing a read-then-compare check. The revision
   * check is the condition of the write itself (`storage.forms.updateDraftIf`). There is no
   * in-process lock any more — publishing does not need one either (see `publishNow`).
   */
  async function update(id: string, patch: { title?: LocalizedText; definition?: SurveyDefinition; expectedDraftUpdatedAt?: string | null | undefined }) {
    let problems: DefinitionProblem[] | null = null;
    // Without `expectedDraftUpdatedAt` (an explicit overwrite) the write is still conditional on
    // the revision just read, so that the new revision is computed from the one it replaces and
    // is never reused; losing that race just means reading again. With it, losing the race means
    // the next read shows another revision: 409.
    for (let attempt = 1; ; attempt++) {
      const form = await mustGet(id);
      if (patch.expectedDraftUpdatedAt !== undefined && patch.expectedDraftUpdatedAt !== form.draftUpdatedAt) {
        throw new AppError('FORM_DRAFT_CONFLICT', { expectedDraftUpdatedAt: patch.expectedDraftUpdatedAt, draftUpdatedAt: form.draftUpdatedAt });
      }
      problems ??= patch.definition ? checkDraft(form.kind, patch.definition) : [];
      let at = deps.now().toISOString();
      // a draft revision is never reused, even for two saves within the same millisecond (or
      // from an instance whose clock is behind)
      if (patch.definition && form.draftUpdatedAt !== null && at <= form.draftUpdatedAt) at = new Date(Date.parse(form.draftUpdatedAt) + 1).toISOString();
      const written = {
        ...(patch.title ? { title: patch.title } : {}),
        ...(patch.definition ? { draft: patch.definition, draftUpdatedAt: at } : {}),
        updatedAt: at,
      };
      if (await storage.forms.updateDraftIf(id, form.draftUpdatedAt, written)) {
        // What this save wrote, not a re-read: a save from another instance landing right after
        // would otherwise hand the client that one's revision as its new base.
        return { ...form, ...written, problems };
      }
      if (attempt >= MAX_SAVE_ATTEMPTS) {
        throw new AppError('FORM_DRAFT_CONFLICT', { expectedDraftUpdatedAt: form.draftUpdatedAt, draftUpdatedAt: (await mustGet(id)).draftUpdatedAt });
      }
    }
  }

  /** Freeze the current draft as the next immutable version. */
  function publish(id: string, publishedBy: string | null): Promise<FormVersion> {
    return publishNow(id, publishedBy);
  }

  /**
   * Safe across server instances without a lock: two publishers of the same number are told
   * apart by the unique (formId, version) index of the storage (the loser gets a 409, below), and
   * the draft is cleared only if it is still the one read here (`draftBase`), so a save another
   * instance made in between is kept as the new draft rather than wiped.
   */
  async function publishNow(id: string, publishedBy: string | null): Promise<FormVersion> {
    const form = await mustGet(id);
    if (!form.draft) throw new AppError('FORM_NO_DRAFT', { id });
    const problems = checkDefinition(form.kind, form.draft);
    if (problems.length) throw new AppError('FORM_DEFINITION_INVALID', { problems });
    const hash = contentHash(form.draft);
    if (form.latestVersion !== null) {
      const latest = await storage.forms.getVersion(id, form.latestVersion);
      if (latest?.contentHash === hash) throw new AppError('FORM_UNCHANGED', { version: latest.version });
    }
    const at = deps.now().toISOString();
    const version: FormVersion = {
      formId: id, version: (form.latestVersion ?? 0) + 1, contentHash: hash, definition: form.draft, publishedAt: at, publishedBy,
    };
    try {
      await storage.forms.publish(version, { status: 'published', latestVersion: version.version, draft: null, draftUpdatedAt: null, updatedAt: at }, form.draftUpdatedAt);
    } catch (err) {
      if (!(err instanceof UniqueViolation)) throw err;
      // Another publisher (this or another instance) took this number first; nothing was
      // written here. Same content: it published this very draft. Otherwise the draft it
      // published is not the one read here: someone else changed it.
      const winner = await storage.forms.getVersion(id, version.version);
      if (winner?.contentHash === hash) throw new AppError('FORM_UNCHANGED', { version: version.version, race: true });
      throw new AppError('FORM_DRAFT_CONFLICT', { expectedDraftUpdatedAt: form.draftUpdatedAt, draftUpdatedAt: (await mustGet(id)).draftUpdatedAt, race: true });
    }
    return version;
  }

  async function setArchived(id: string, archived: boolean): Promise<Form> {
    const form = await mustGet(id);
    const status: FormStatus = archived ? 'archived' : form.latestVersion !== null ? 'published' : 'draft';
    await storage.forms.update(id, { status, updatedAt: deps.now().toISOString() });
    return mustGet(id);
  }

  async function getVersion(id: string, version: number): Promise<FormVersion> {
    const v = await storage.forms.getVersion(id, version);
    if (!v) throw new AppError('FORM_VERSION_NOT_FOUND', { id, version });
    return v;
  }

  return {
    create,
    update,
    publish,
    archive: (id: string) => setArchived(id, true),
    unarchive: (id: string) => setArchived(id, false),
    get: mustGet,
    /** The form with its draft — or, when there is none, the latest version's definition to start editing from. */
    async getForEditing(id: string) {
      const form = await mustGet(id);
      const definition = form.draft ?? (form.latestVersion !== null ? (await getVersion(id, form.latestVersion)).definition : null);
      return { form, definition, problems: definition ? checkDefinition(form.kind, definition) : [] };
    },
    list: (filter: { kind?: FormKind; status?: FormStatus }) => storage.forms.list(filter),
    async listVersions(id: string) {
      await mustGet(id);
      return storage.forms.listVersions(id);
    },
    getVersion,
  };
}

export type FormService = ReturnType<typeof makeFormService>;

/** What the API shows of a form: everything but the (possibly large) draft. */
export function formDto(f: Form) {
  return {
    id: f.id, slug: f.slug, kind: f.kind, title: f.title, status: f.status, latestVersion: f.latestVersion,
    hasDraft: f.draft !== null, draftUpdatedAt: f.draftUpdatedAt, createdAt: f.createdAt, updatedAt: f.updatedAt,
  };
}
