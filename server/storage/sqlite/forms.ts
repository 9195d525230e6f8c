import type { Db } from './database';
import { isUniqueViolation } from './database';
import { UniqueViolation, type Form, type FormRepository } from '../port';
import { formFromRow, formVersionFromRow, type FormRow, type FormVersionRow } from './rows';

export function sqliteForms(db: Db): FormRepository {
  const insert = db.prepare(`INSERT INTO forms (id, slug, kind, title_zh, title_en, status, draft_json, draft_updated_at, latest_version, created_at, updated_at)
    VALUES (@id, @slug, @kind, @title_zh, @title_en, @status, @draft_json, @draft_updated_at, @latest_version, @created_at, @updated_at)`);
  const byId = db.prepare('SELECT * FROM forms WHERE id = ?');
  const bySlug = db.prepare('SELECT * FROM forms WHERE slug = ?');
  const list = db.prepare(`SELECT * FROM forms WHERE (@kind IS NULL OR kind = @kind) AND (@status IS NULL OR status = @status)
    ORDER BY created_at, id`);
  const insertVersion = db.prepare(`INSERT INTO form_versions (form_id, version, content_hash, definition_json, published_at, published_by)
    VALUES (@form_id, @version, @content_hash, @definition_json, @published_at, @published_by)`);
  const getVersion = db.prepare('SELECT * FROM form_versions WHERE form_id = ? AND version = ?');
  const listVersions = db.prepare('SELECT * FROM form_versions WHERE form_id = ? ORDER BY version');
  const count = db.prepare('SELECT COUNT(*) AS n FROM forms');

  /** Returns how many rows changed. With `expected` (not undefined), only while draft_updated_at IS expected. */
  const update = (id: string, patch: Partial<Form>, expected?: string | null): number => {
    const sets: string[] = [];
    const params: Record<string, unknown> = { id };
    if (patch.title !== undefined) { sets.push('title_zh = @title_zh', 'title_en = @title_en'); params.title_zh = patch.title.zh; params.title_en = patch.title.en ?? null; }
    if (patch.draft !== undefined) { sets.push('draft_json = @draft_json'); params.draft_json = patch.draft === null ? null : JSON.stringify(patch.draft); }
    if (patch.draftUpdatedAt !== undefined) { sets.push('draft_updated_at = @draft_updated_at'); params.draft_updated_at = patch.draftUpdatedAt; }
    if (patch.status !== undefined) { sets.push('status = @status'); params.status = patch.status; }
    if (patch.latestVersion !== undefined) { sets.push('latest_version = @latest_version'); params.latest_version = patch.latestVersion; }
    if (patch.updatedAt !== undefined) { sets.push('updated_at = @updated_at'); params.updated_at = patch.updatedAt; }
    // Column names come from the fixed list above, never from input. `IS` (not `=`) so that a
    // null expectation matches a form without a draft; check and write are one statement.
    const where = expected === undefined ? 'id = @id' : 'id = @id AND draft_updated_at IS @expected';
    if (expected !== undefined) params.expected = expected;
    if (sets.length === 0) return (db.prepare(`SELECT COUNT(*) AS n FROM forms WHERE ${where}`).get(params) as { n: number }).n;
    return db.prepare(`UPDATE forms SET ${sets.join(', ')} WHERE ${where}`).run(params).changes;
  };

  return {
    async insert(f) {
      try {
        insert.run({
          id: f.id, slug: f.slug, kind: f.kind, title_zh: f.title.zh, title_en: f.title.en ?? null, status: f.status,
          draft_json: f.draft === null ? null : JSON.stringify(f.draft), draft_updated_at: f.draftUpdatedAt,
          latest_version: f.latestVersion, created_at: f.createdAt, updated_at: f.updatedAt,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new UniqueViolation('form.slug');
        throw err;
      }
    },
    async get(id) { const r = byId.get(id) as FormRow | undefined; return r ? formFromRow(r) : null; },
    async getBySlug(slug) { const r = bySlug.get(slug) as FormRow | undefined; return r ? formFromRow(r) : null; },
    async list(filter) {
      return (list.all({ kind: filter.kind ?? null, status: filter.status ?? null }) as FormRow[]).map(formFromRow);
    },
    async update(id, patch) { update(id, patch); },
    async updateDraftIf(id, expectedDraftUpdatedAt, patch) { return update(id, patch, expectedDraftUpdatedAt) > 0; },
    async publish(v, formPatch, draftBase) {
      try {
        db.transaction(() => {
          insertVersion.run({
            form_id: v.formId, version: v.version, content_hash: v.contentHash, definition_json: JSON.stringify(v.definition),
            published_at: v.publishedAt, published_by: v.publishedBy,
          });
          if (draftBase === undefined || update(v.formId, formPatch, draftBase) === 0) {
            // a newer draft was saved since the publisher read it: keep it
            const { draft: _draft, draftUpdatedAt: _at, ...rest } = formPatch;
            update(v.formId, draftBase === undefined ? formPatch : rest);
          }
        })();
      } catch (err) {
        if (isUniqueViolation(err)) throw new UniqueViolation('form_version');
        throw err;
      }
    },
    async getVersion(formId, version) {
      const r = getVersion.get(formId, version) as FormVersionRow | undefined;
      return r ? formVersionFromRow(r) : null;
    },
    async listVersions(formId) { return (listVersions.all(formId) as FormVersionRow[]).map(formVersionFromRow); },
    async count() { return (count.get() as { n: number }).n; },
  };
}
