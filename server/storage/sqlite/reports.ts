/** SQLite side of the reports port: rollups (upserted in the insert's transaction), indicators, targets, work plan. */
import type { Db } from './database';
import { submissionFromRow, type SubmissionRow } from './rows';
import { IndicatorDefinitionSchema } from '../../../common/scoring';
import type { PeriodType } from '../../../common/periods';
import type { TargetOp } from '../../../common/stats';
import {
  EXCLUDED_KEYS,
  ITEM_COUNT_KEYS,
  type ExcludedKey,
  type ItemCountKey,
  type ItemRollupRow,
  type ReportRepository,
  type RollupDelta,
  type RollupRow,
  type StoredTarget,
  type TargetScope,
  type WorkPlanEntry,
} from '../reports-port';

const EX_COLS = EXCLUDED_KEYS.map((k) => `ex_${k}`);
const ITEM_COLS = [...ITEM_COUNT_KEYS];

/** Prepared upserts that add a delta; the caller owns the transaction. */
export function makeRollupWriter(db: Db): (delta: RollupDelta) => void {
  const rollup = db.prepare(`INSERT INTO rollups (indicator_id, org_unit_id, period, numerator, numerator_sq, denominator, responses, ${EX_COLS.join(', ')})
    VALUES (@indicatorId, @orgUnitId, @period, @numerator, @numeratorSq, @denominator, @responses, ${EX_COLS.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (indicator_id, org_unit_id, period) DO UPDATE SET
      numerator = numerator + excluded.numerator, numerator_sq = numerator_sq + excluded.numerator_sq,
      denominator = denominator + excluded.denominator, responses = responses + excluded.responses,
      ${EX_COLS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`);
  const item = db.prepare(`INSERT INTO item_rollups (form_id, org_unit_id, period, item, ${ITEM_COLS.join(', ')})
    VALUES (@formId, @orgUnitId, @period, @item, ${ITEM_COLS.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (form_id, org_unit_id, period, item) DO UPDATE SET ${ITEM_COLS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`);
  return (delta) => {
    for (const r of delta.rows) {
      const p: Record<string, unknown> = {
        indicatorId: r.indicatorId, orgUnitId: r.orgUnitId, period: r.period, numerator: r.numerator ?? 0,
        numeratorSq: r.numeratorSq ?? 0, denominator: r.denominator ?? 0, responses: r.responses ?? 0,
      };
      for (const k of EXCLUDED_KEYS) p[`ex_${k}`] = r.excluded?.[k] ?? 0;
      rollup.run(p);
    }
    for (const i of delta.items) {
      const p: Record<string, unknown> = { formId: i.formId, orgUnitId: i.orgUnitId, period: i.period, item: i.item };
      for (const k of ITEM_COUNT_KEYS) p[k] = i.counts[k] ?? 0;
      item.run(p);
    }
  };
}

type RollupDbRow = { indicator_id: string; org_unit_id: string; period: string; numerator: number; numerator_sq: number; denominator: number; responses: number } & Record<string, number>;
type ItemDbRow = { form_id: string; org_unit_id: string; period: string; item: string } & Record<string, number>;

function rollupFromRow(r: RollupDbRow): RollupRow {
  const excluded = {} as Record<ExcludedKey, number>;
  for (const k of EXCLUDED_KEYS) excluded[k] = r[`ex_${k}`] ?? 0;
  return { indicatorId: r.indicator_id, orgUnitId: r.org_unit_id, period: r.period, numerator: r.numerator, numeratorSq: r.numerator_sq, denominator: r.denominator, responses: r.responses, excluded };
}

function itemFromRow(r: ItemDbRow): ItemRollupRow {
  const counts = {} as Record<ItemCountKey, number>;
  for (const k of ITEM_COUNT_KEYS) counts[k] = r[k] ?? 0;
  return { formId: r.form_id, orgUnitId: r.org_unit_id, period: r.period, item: r.item, counts };
}

/** `IN (?, ?, …)` with its values; an empty list matches nothing. */
function inList(values: readonly string[]): string {
  return values.length === 0 ? '(NULL)' : `(${values.map(() => '?').join(', ')})`;
}

function scopeCols(s: TargetScope): { kind: string; id: string } {
  return s.kind === 'default' ? { kind: 'default', id: '' } : { kind: s.kind, id: s.id };
}

export function sqliteReports(db: Db): ReportRepository {
  const write = makeRollupWriter(db);
  const applyTx = db.transaction((d: RollupDelta) => write(d));
  const replaceTx = db.transaction((rows: RollupRow[], items: ItemRollupRow[]) => {
    db.exec('DELETE FROM rollups; DELETE FROM item_rollups;');
    write({ rows, items });
  });
  const setFactsStmt = db.prepare('UPDATE submissions SET facts_json = ? WHERE id = ?');
  const setFactsTx = db.transaction((facts: { id: string; facts: unknown }[]) => {
    for (const f of facts) setFactsStmt.run(f.facts == null ? null : JSON.stringify(f.facts), f.id);
  });

  const scanStatements = new Map<string, ReturnType<Db['prepare']>>();
  const scanStmt = (where: string) => {
    let st = scanStatements.get(where);
    if (!st) { st = db.prepare(`SELECT rowid AS _rowid, * FROM submissions WHERE ${where} ORDER BY rowid LIMIT @limit`); scanStatements.set(where, st); }
    return st;
  };

  return {
    async listIndicators() {
      const rows = db.prepare('SELECT * FROM indicators ORDER BY built_in DESC, id').all() as { id: string; definition_json: string; built_in: number; created_at: string; updated_at: string }[];
      return rows.map((r) => ({ definition: IndicatorDefinitionSchema.parse(JSON.parse(r.definition_json)), builtIn: r.built_in === 1, createdAt: r.created_at, updatedAt: r.updated_at }));
    },
    async getIndicator(id) {
      const r = db.prepare('SELECT * FROM indicators WHERE id = ?').get(id) as { definition_json: string; built_in: number; created_at: string; updated_at: string } | undefined;
      return r ? { definition: IndicatorDefinitionSchema.parse(JSON.parse(r.definition_json)), builtIn: r.built_in === 1, createdAt: r.created_at, updatedAt: r.updated_at } : null;
    },
    async putIndicator(ind) {
      db.prepare(`INSERT INTO indicators (id, definition_json, built_in, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET definition_json = excluded.definition_json, built_in = excluded.built_in, updated_at = excluded.updated_at`)
        .run(ind.definition.id, JSON.stringify(ind.definition), ind.builtIn ? 1 : 0, ind.createdAt, ind.updatedAt);
    },
    async deleteIndicator(id) {
      return db.transaction(() => {
        db.prepare('DELETE FROM indicator_targets WHERE indicator_id = ?').run(id);
        db.prepare('DELETE FROM rollups WHERE indicator_id = ?').run(id);
        return db.prepare('DELETE FROM indicators WHERE id = ?').run(id).changes === 1;
      })();
    },
    async listTargets(indicatorId) {
      const rows = (indicatorId === undefined
        ? db.prepare('SELECT * FROM indicator_targets ORDER BY indicator_id, scope_kind, scope_id, period_type').all()
        : db.prepare('SELECT * FROM indicator_targets WHERE indicator_id = ? ORDER BY scope_kind, scope_id, period_type').all(indicatorId)) as
        { indicator_id: string; scope_kind: string; scope_id: string; period_type: string; op: string; value: number; updated_at: string }[];
      return rows.map((r): StoredTarget => ({
        indicatorId: r.indicator_id,
        scope: r.scope_kind === 'default' ? { kind: 'default' } : { kind: r.scope_kind as 'org_unit' | 'group', id: r.scope_id },
        periodType: r.period_type === '*' ? null : (r.period_type as PeriodType),
        target: { op: r.op as TargetOp, value: r.value },
        updatedAt: r.updated_at,
      }));
    },
    async putTarget(t) {
      const s = scopeCols(t.scope);
      db.prepare(`INSERT INTO indicator_targets (indicator_id, scope_kind, scope_id, period_type, op, value, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (indicator_id, scope_kind, scope_id, period_type) DO UPDATE SET op = excluded.op, value = excluded.value, updated_at = excluded.updated_at`)
        .run(t.indicatorId, s.kind, s.id, t.periodType ?? '*', t.target.op, t.target.value, t.updatedAt);
    },
    async deleteTarget(indicatorId, scope, periodType) {
      const s = scopeCols(scope);
      return db.prepare('DELETE FROM indicator_targets WHERE indicator_id = ? AND scope_kind = ? AND scope_id = ? AND period_type = ?')
        .run(indicatorId, s.kind, s.id, periodType ?? '*').changes === 1;
    },
    async listWorkPlan(orgUnitIds, periods) {
      const rows = db.prepare(`SELECT * FROM work_plan WHERE org_unit_id IN ${inList(orgUnitIds)} AND period IN ${inList(periods)} ORDER BY org_unit_id, period, key`)
        .all(...orgUnitIds, ...periods) as { org_unit_id: string; period: string; key: string; name_zh: string; name_en: string | null; value: number; denominator: number | null; target_op: string | null; target_value: number | null; updated_at: string }[];
      return rows.map((r): WorkPlanEntry => ({
        orgUnitId: r.org_unit_id, period: r.period, key: r.key,
        name: r.name_en == null ? { zh: r.name_zh } : { zh: r.name_zh, en: r.name_en },
        value: r.value, denominator: r.denominator,
        target: r.target_op == null || r.target_value == null ? null : { op: r.target_op as TargetOp, value: r.target_value },
        updatedAt: r.updated_at,
      }));
    },
    async putWorkPlan(e) {
      db.prepare(`INSERT INTO work_plan (org_unit_id, period, key, name_zh, name_en, value, denominator, target_op, target_value, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (org_unit_id, period, key) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, value = excluded.value,
          denominator = excluded.denominator, target_op = excluded.target_op, target_value = excluded.target_value, updated_at = excluded.updated_at`)
        .run(e.orgUnitId, e.period, e.key, e.name.zh, e.name.en ?? null, e.value, e.denominator, e.target?.op ?? null, e.target?.value ?? null, e.updatedAt);
    },
    async deleteWorkPlan(orgUnitId, period, key) {
      return db.prepare('DELETE FROM work_plan WHERE org_unit_id = ? AND period = ? AND key = ?').run(orgUnitId, period, key).changes === 1;
    },
    async rollups(q) {
      const rows = db.prepare(`SELECT * FROM rollups WHERE indicator_id IN ${inList(q.indicatorIds)} AND org_unit_id IN ${inList(q.orgUnitIds)} AND period IN ${inList(q.periods)}`)
        .all(...q.indicatorIds, ...q.orgUnitIds, ...q.periods) as RollupDbRow[];
      return rows.map(rollupFromRow);
    },
    async itemRollups(q) {
      const rows = db.prepare(`SELECT * FROM item_rollups WHERE form_id IN ${inList(q.formIds)} AND org_unit_id IN ${inList(q.orgUnitIds)} AND period IN ${inList(q.periods)}`)
        .all(...q.formIds, ...q.orgUnitIds, ...q.periods) as ItemDbRow[];
      return rows.map(itemFromRow);
    },
    async applyDelta(delta) { applyTx(delta); },
    async replaceAll(rows, items) { replaceTx(rows, items); },
    async setFacts(facts) { setFactsTx(facts); },
    async unrolled() { return []; },
    async markRolledUp() { /* every SQLite insert applies its delta in the same transaction */ },
    async scan(filter, after, limit) {
      // unary + keeps SQLite off the secondary indexes: a rowid range walk in table order, filtered
      const parts = ['rowid > @after'];
      const params: Record<string, unknown> = { after: after === null ? 0 : Number(after), limit };
      if (filter.formId !== undefined) { parts.push('+form_id = @formId'); params.formId = filter.formId; }
      if (filter.formVersion !== undefined) { parts.push('+form_version = @formVersion'); params.formVersion = filter.formVersion; }
      if (filter.orgUnitPath !== undefined) { parts.push('+org_unit_path >= @pathLo AND +org_unit_path < @pathHi'); params.pathLo = filter.orgUnitPath; params.pathHi = `${filter.orgUnitPath}\uffff`; }
      if (filter.completedFrom !== undefined) { parts.push('+completed_at >= @from'); params.from = filter.completedFrom; }
      if (filter.completedTo !== undefined) { parts.push('+completed_at < @to'); params.to = filter.completedTo; }
      const rows = scanStmt(parts.join(' AND ')).all(params) as (SubmissionRow & { _rowid: number })[];
      const last = rows[rows.length - 1];
      return { items: rows.map(submissionFromRow), next: rows.length === limit && last ? String(last._rowid) : null };
    },
    async suggestions(q) {
      const rows = db.prepare(`SELECT id, org_unit_id, completed_at, json_extract(facts_json, '$.satisfaction.suggestion') AS text FROM submissions
        WHERE form_id IN ${inList(q.formIds)} AND org_unit_path >= ? AND org_unit_path < ? AND completed_at >= ? AND completed_at < ?
          AND review_state IN ${inList(q.countedStates)} AND json_extract(facts_json, '$.satisfaction.suggestion') IS NOT NULL
        ORDER BY completed_at DESC LIMIT ?`)
        .all(...q.formIds, q.orgUnitPath, `${q.orgUnitPath}\uffff`, q.from, q.to, ...q.countedStates, q.limit) as { id: string; org_unit_id: string; completed_at: string; text: string }[];
      return rows.map((r) => ({ id: r.id, orgUnitId: r.org_unit_id, completedAt: r.completed_at, text: r.text }));
    },
  };
}
