/** Forms and their immutable published versions on MongoDB. */
import { UniqueViolation, type Form, type FormRepository } from '../port';
import { duplicateKeyPattern, rethrowUnique } from './errors';
import { text, toForm, toFormVersion } from './mappers';
import type { FormDoc, FormVersionDoc, Models } from './models';

const FORM_KEYS = { slug: 'form.slug', _id: 'form.slug' } as const;

type FormPatch = Partial<Pick<Form, 'title' | 'draft' | 'draftUpdatedAt' | 'status' | 'updatedAt' | 'latestVersion'>>;

function toSet(patch: FormPatch): Partial<FormDoc> {
  const $set: Partial<FormDoc> = {};
  if (patch.title !== undefined) $set.title = text(patch.title);
  if (patch.draft !== undefined) $set.draft = patch.draft;
  if (patch.draftUpdatedAt !== undefined) $set.draftUpdatedAt = patch.draftUpdatedAt;
  if (patch.status !== undefined) $set.status = patch.status;
  if (patch.latestVersion !== undefined) $set.latestVersion = patch.latestVersion;
  if (patch.updatedAt !== undefined) $set.updatedAt = patch.updatedAt;
  return $set;
}

export function makeFormRepository(m: Models): FormRepository {
  const forms = m.forms;
  const versions = m.formVersions;
  return {
    async insert(form) {
      try {
        const { id, ...rest } = form;
        await forms.create([{ ...rest, _id: id, title: text(form.title) }]);
      } catch (err) {
        rethrowUnique(err, FORM_KEYS);
      }
    },
    async get(id) {
      const d = await forms.findById(id).lean<FormDoc>();
      return d ? toForm(d) : null;
    },
    async getBySlug(slug) {
      const d = await forms.findOne({ slug }).lean<FormDoc>();
      return d ? toForm(d) : null;
    },
    async list(filter) {
      const q: Partial<Pick<FormDoc, 'kind' | 'status'>> = {};
      if (filter.kind !== undefined) q.kind = filter.kind;
      if (filter.status !== undefined) q.status = filter.status;
      const docs = await forms.find(q).sort({ createdAt: 1, _id: 1 }).lean<FormDoc[]>();
      return docs.map(toForm);
    },
    async update(id, patch) {
      const $set = toSet(patch);
      if (Object.keys($set).length === 0) return;
      await forms.updateOne({ _id: id }, { $set });
    },
    async updateDraftIf(id, expectedDraftUpdatedAt, patch) {
      // filter and $set in one updateOne: MongoDB applies it atomically to the one document, so
      // of two writers from the same base exactly one matches. `draftUpdatedAt: null` also
      // matches a document without the field (no draft), which is what null means here.
      const filter = { _id: id, draftUpdatedAt: expectedDraftUpdatedAt };
      const $set = toSet(patch);
      if (Object.keys($set).length === 0) return (await forms.countDocuments(filter)) > 0;
      const r = await forms.updateOne(filter, { $set });
      return r.matchedCount === 1;
    },
    /**
     * Without a transaction: the version is inserted first — its unique (formId, version) index
     * is the arbiter between racing publishers — and only then is the form pointed at it. If a
     * crash left a version whose form was never updated, publishing the same content again
     * completes it instead of failing; a different content or an already-recorded version is a
     * UniqueViolation('form_version'). On a replica set both writes could share a transaction.
     */
    async publish(version, formPatch, draftBase) {
      try {
        await versions.create([{ ...version }]);
      } catch (err) {
        if (!duplicateKeyPattern(err)) throw err;
        const [existing, form] = await Promise.all([
          versions.findOne({ formId: version.formId, version: version.version }).lean<FormVersionDoc>(),
          forms.findById(version.formId).lean<FormDoc>(),
        ]);
        const halfDone = existing !== null && existing.contentHash === version.contentHash && form !== null && (form.latestVersion ?? 0) < version.version;
        if (!halfDone) throw new UniqueViolation('form_version');
      }
      if (draftBase === undefined) {
        await forms.updateOne({ _id: version.formId }, { $set: toSet(formPatch) });
        return;
      }
      // Clear the draft only if it is still the one that was published (one atomic updateOne);
      // otherwise another process saved a newer draft meanwhile: point at the version, keep it.
      const r = await forms.updateOne({ _id: version.formId, draftUpdatedAt: draftBase }, { $set: toSet(formPatch) });
      if (r.matchedCount === 0) {
        const { draft: _draft, draftUpdatedAt: _at, ...rest } = formPatch;
        await forms.updateOne({ _id: version.formId }, { $set: toSet(rest) });
      }
    },
    async getVersion(formId, version) {
      const d = await versions.findOne({ formId, version }).lean<FormVersionDoc>();
      return d ? toFormVersion(d) : null;
    },
    async listVersions(formId) {
      const docs = await versions.find({ formId }).sort({ version: 1 }).lean<FormVersionDoc[]>();
      return docs.map(toFormVersion);
    },
    async count() {
      return forms.countDocuments({});
    },
  };
}
