import type { Db } from './database';
import type { InsertOutcome, Submission, SubmissionFilter, SubmissionRepository } from '../port';
import { submissionFromRow, type SubmissionRow } from './rows';
import type { RollupDelta } from '../reports-port';
import { RollupAccumulator } from '../../reports/facts';
import { makeRollupWriter } from './reports';

/** WHERE clause from a typed filter: fixed SQL fragments, values only as bound parameters. */
function whereOf(f: SubmissionFilter): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.formId !== undefined) { parts.push('form_id = @formId'); params.formId = f.formId; }
  if (f.formVersion !== undefined) { parts.push('form_version = @formVersion'); params.formVersion = f.formVersion; }
  if (f.orgUnitPath !== undefined) {
    // A range on the indexed path column: every path in the subtree starts with the prefix.
    parts.push('org_unit_path >= @pathLo AND org_unit_path < @pathHi');
    params.pathLo = f.orgUnitPath;
    params.pathHi = `${f.orgUnitPath}\uffff`;
  }
  if (f.completedFrom !== undefined) { parts.push('completed_at >= @completedFrom'); params.completedFrom = f.completedFrom; }
  if (f.completedTo !== undefined) { parts.push('completed_at < @completedTo'); params.completedTo = f.completedTo; }
  if (f.reviewStates !== undefined) {
    // one bound parameter per state (@rs0, @rs1, ...): the SQL text holds only our own names
    const names = f.reviewStates.map((st, i) => { params[`rs${i}`] = st; return `@rs${i}`; });
    parts.push(names.length ? `review_state IN (${names.join(', ')})` : '0 = 1');
  }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

export function sqliteSubmissions(db: Db): SubmissionRepository {
  const insert = db.prepare(`INSERT INTO submissions (id, form_id, form_version, org_unit_id, org_unit_path, answers_json,
      content_hash, started_at, completed_at, received_at, device_id, review_state, facts_json)
    VALUES (@id, @form_id, @form_version, @org_unit_id, @org_unit_path, @answers_json, @content_hash, @started_at,
      @completed_at, @received_at, @device_id, @review_state, @facts_json)
    ON CONFLICT(id) DO NOTHING`);
  const hashOf = db.prepare('SELECT content_hash FROM submissions WHERE id = ?');
  const byId = db.prepare('SELECT * FROM submissions WHERE id = ?');

  const writeRollups = makeRollupWriter(db);

  // The rollup deltas of the stored items are merged (a batch is usually one village and month)
  // and written in the same transaction as the rows: the counts never disagree with the data.
  const insertBatch = db.transaction((items: Submission[], rollups?: readonly (RollupDelta | null | undefined)[]): InsertOutcome[] => {
    const acc = rollups ? new RollupAccumulator() : null;
    const outcomes = items.map((s, i): InsertOutcome => {
      const info = insert.run({
        id: s.id, form_id: s.formId, form_version: s.formVersion, org_unit_id: s.orgUnitId, org_unit_path: s.orgUnitPath,
        answers_json: JSON.stringify(s.answers), content_hash: s.contentHash, started_at: s.startedAt,
        completed_at: s.completedAt, received_at: s.receivedAt, device_id: s.deviceId, review_state: s.reviewState,
        facts_json: s.facts == null ? null : JSON.stringify(s.facts),
      });
      if (info.changes === 1) {
        const d = rollups?.[i];
        if (acc && d) acc.add(d);
        return 'stored';
      }
      const existing = hashOf.get(s.id) as { content_hash: string } | undefined;
      return existing?.content_hash === s.contentHash ? 'duplicate' : 'conflict';
    });
    if (acc && acc.rows.size + acc.items.size > 0) writeRollups(acc.toDelta());
    return outcomes;
  });

  return {
    async insertMany(items, rollups) { return insertBatch(items, rollups); },
    async getHashes(ids) {
      const out = new Map<string, string>();
      for (const id of ids) {
        const r = hashOf.get(id) as { content_hash: string } | undefined;
        if (r) out.set(id, r.content_hash);
      }
      return out;
    },
    async get(id) { const r = byId.get(id) as SubmissionRow | undefined; return r ? submissionFromRow(r) : null; },
    async list(filter, after, limit) {
      const w = whereOf(filter);
      let sql = `SELECT * FROM submissions WHERE ${w.sql}`;
      const params: Record<string, unknown> = { ...w.params, limit: limit + 1 };
      if (after) {
        sql += ' AND (received_at > @afterAt OR (received_at = @afterAt AND id > @afterId))';
        params.afterAt = after.receivedAt;
        params.afterId = after.id;
      }
      sql += ' ORDER BY received_at, id LIMIT @limit';
      const rows = db.prepare(sql).all(params) as SubmissionRow[];
      const items = rows.slice(0, limit).map(submissionFromRow);
      const last = items[items.length - 1];
      return { items, next: rows.length > limit && last ? { receivedAt: last.receivedAt, id: last.id } : null };
    },
    async count(filter) {
      const w = whereOf(filter);
      return (db.prepare(`SELECT COUNT(*) AS n FROM submissions WHERE ${w.sql}`).get(w.params) as { n: number }).n;
    },
  };
}
