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
   * Writes to one form run one after the other in this process, so the revision check below and
   * the write that follows it cannot interleave with another PATCH of the same form.
   */
  const formQueues = new Map<string, Promise<unknown>>();
  function serialised<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = formQueues.get(id) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    formQueues.set(id, tail);
    void tail.then(() => { if (formQueues.get(id) === tail) formQueues.delete(id); });
    return run;
  }

  async function update(id: string, patch: { title?: LocalizedText; definition?: SurveyDefinition; expectedDraftUpdatedAt?: string | null | undefined }) {
    return serialised(id, () => updateNow(id, patch));
  }

  async function updateNow(id: string, patch: { title?: LocalizedText; definition?: SurveyDefinition; expectedDraftUpdatedAt?: string | null | undefined }) {
    const form = await mustGet(id);
    if (patch.expectedDraftUpdatedAt !== undefined && patch.expectedDraftUpdatedAt !== form.draftUpdatedAt) {
      throw new AppError('FORM_DRAFT_CONFLICT', { expectedDraftUpdatedAt: patch.expectedDraftUpdatedAt, draftUpdatedAt: form.draftUpdatedAt });
    }
    let at = deps.now().toISOString();
    // a draft revision is never reused, even for two saves within the same millisecond
    if (patch.definition && form.draftUpdatedAt !== null && at <= form.draftUpdatedAt) at = new Date(Date.parse(form.draftUpdatedAt) + 1).toISOString();
    const problems = patch.definition ? checkDraft(form.kind, patch.definition) : [];
    await storage.forms.update(id, {
      ...(patch.title ? { title: patch.title } : {}),
      ...(patch.definition ? { draft: patch.definition, draftUpdatedAt: at } : {}),
      updatedAt: at,
    });
    return { ...(await mustGet(id)), problems };
  }

  /** Freeze the current draft as the next immutable version. */
  function publish(id: string, publishedBy: string | null): Promise<FormVersion> {
    return serialised(id, () => publishNow(id, publishedBy));
  }

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
      await storage.forms.publish(version, { status: 'published', latestVersion: version.version, draft: null, draftUpdatedAt: null, updatedAt: at });
    } catch (err) {
      // Two publishers raced for the same number: the other one won; nothing was written here.
      if (err instanceof UniqueViolation) throw new AppError('FORM_UNCHANGED', { version: version.version, race: true });
      throw err;
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
