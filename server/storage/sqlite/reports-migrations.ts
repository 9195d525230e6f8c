/**
 * Migration 3 (issue 5, reports): facts on submissions, rollups, item rollups, indicators,
 * targets and work-plan counts. Kept apart from migrations.ts (which the access work edits); the
 * runner applies MIGRATIONS and these in version order and tolerates a gap (3 before 2).
 */
import type { Migration } from './migrations';

const EXCLUDED_COLS = ['not_eligible', 'too_few_answered', 'no_scored_items', 'too_few_applicable_items', 'no_valid_rating', 'review']
  .map((k) => `  ex_${k} INTEGER NOT NULL DEFAULT 0`).join(',\n');
const ITEM_COLS = ['correct', 'incorrect', 'dont_know', 'skipped', 'not_applicable', 'invalid', 'r1', 'r2', 'r3', 'r4', 'r5']
  .map((k) => `  ${k} INTEGER NOT NULL DEFAULT 0`).join(',\n');

export const REPORT_MIGRATIONS: Migration[] = [
  {
    version: 3,
    name: 'reports: submission facts, rollups, item rollups, indicators, targets, work plan',
    sql: `
ALTER TABLE submissions ADD COLUMN facts_json TEXT;

CREATE TABLE rollups (
  indicator_id TEXT NOT NULL,
  org_unit_id TEXT NOT NULL,
  period TEXT NOT NULL,
  numerator REAL NOT NULL DEFAULT 0,
  numerator_sq REAL NOT NULL DEFAULT 0,
  denominator REAL NOT NULL DEFAULT 0,
  responses INTEGER NOT NULL DEFAULT 0,
${EXCLUDED_COLS},
  PRIMARY KEY (indicator_id, org_unit_id, period)
) WITHOUT ROWID;

CREATE TABLE item_rollups (
  form_id TEXT NOT NULL,
  org_unit_id TEXT NOT NULL,
  period TEXT NOT NULL,
  item TEXT NOT NULL,
${ITEM_COLS},
  PRIMARY KEY (form_id, org_unit_id, period, item)
) WITHOUT ROWID;

CREATE TABLE indicators (
  id TEXT PRIMARY KEY,
  definition_json TEXT NOT NULL,
  built_in INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE indicator_targets (
  indicator_id TEXT NOT NULL,
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('org_unit','group','default')),
  scope_id TEXT NOT NULL,
  period_type TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('>=','>','<=','<')),
  value REAL NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (indicator_id, scope_kind, scope_id, period_type)
);

CREATE TABLE work_plan (
  org_unit_id TEXT NOT NULL,
  period TEXT NOT NULL,
  key TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT,
  value REAL NOT NULL,
  denominator REAL,
  target_op TEXT,
  target_value REAL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (org_unit_id, period, key)
);
`,
  },
];
