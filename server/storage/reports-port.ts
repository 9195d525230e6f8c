/**
 * The reports part of the storage port (issue 5): per-submission facts, rollups, indicator
 * definitions, targets and work-plan counts. Kept in its own file so the access work on port.ts
 * and this one do not collide; port.ts re-exports it and adds `reports` to Storage.
 */
import type { IndicatorDefinition } from '../../common/scoring';
import type { ItemStatus, RatingStatus } from '../../common/scoring';
import type { Target } from '../../common/stats';
import type { ReviewState } from '../../common/api/submissions';
import type { PeriodType } from '../../common/periods';
import type { Submission, SubmissionFilter } from './port';

/** Why a submission is not in an indicator's denominator: a scoring reason, or the review decision. */
export const EXCLUDED_KEYS = ['not_eligible', 'too_few_answered', 'no_scored_items', 'too_few_applicable_items', 'no_valid_rating', 'review'] as const;
export type ExcludedKey = (typeof EXCLUDED_KEYS)[number];

/** One indicator's evaluation of one submission. */
export interface IndicatorFact {
  id: string;
  counted: boolean;
  num: number;
  den: number;
  reason?: Exclude<ExcludedKey, 'review'>;
}

/** What scoring derived from a submission when it was stored (metrics.md §2–4). */
export interface SubmissionFacts {
  v: 1;
  indicators: IndicatorFact[];
  knowledge?: {
    score: number;
    max: number;
    correct: number;
    answered: number;
    total: number;
    /** question name → status */
    items: Record<string, ItemStatus>;
  };
  satisfaction?: {
    /** one entry per rating question */
    ratings: { q: string; d: string; s: RatingStatus; r: number | null }[];
    /** free-text suggestion, if the form has one (anonymous forms: no personal data) */
    suggestion?: string;
  };
  census?: {
    /** members per population type plus 'all' */
    members: Record<string, number>;
  };
}

/** Sums for one (indicator × org unit × period); a rate is numerator / denominator. */
export interface RollupValues {
  numerator: number;
  /** Σ numerator² (fractional per-respondent values need it for a variance) */
  numeratorSq: number;
  denominator: number;
  /** every submission seen, counted or not */
  responses: number;
  excluded: Record<ExcludedKey, number>;
}

export interface RollupKey {
  indicatorId: string;
  orgUnitId: string;
  /** `2026-03`, `2026Q1`, `2026S1`, `2026` */
  period: string;
}

export type RollupRow = RollupKey & RollupValues;

/** Item-level counts: knowledge item statuses, or the rating distribution of a satisfaction dimension. Month periods only. */
export const ITEM_COUNT_KEYS = ['correct', 'incorrect', 'dont_know', 'skipped', 'not_applicable', 'invalid', 'r1', 'r2', 'r3', 'r4', 'r5'] as const;
export type ItemCountKey = (typeof ITEM_COUNT_KEYS)[number];

export interface ItemRollupKey {
  formId: string;
  /** `q:<question name>` (knowledge) or `d:<dimension>` (satisfaction) */
  item: string;
  orgUnitId: string;
  /** month id */
  period: string;
}
export type ItemRollupRow = ItemRollupKey & { counts: Record<ItemCountKey, number> };

/** What one stored submission adds to (or, with negative values, removes from) the rollups. */
export interface RollupDelta {
  rows: (RollupKey & Partial<Omit<RollupValues, 'excluded'>> & { excluded?: Partial<Record<ExcludedKey, number>> })[];
  items: (ItemRollupKey & { counts: Partial<Record<ItemCountKey, number>> })[];
}

export interface StoredIndicator {
  definition: IndicatorDefinition;
  builtIn: boolean;
  createdAt: string;
  updatedAt: string;
}

export type TargetScope = { kind: 'org_unit'; id: string } | { kind: 'group'; id: string } | { kind: 'default' };

export interface StoredTarget {
  indicatorId: string;
  scope: TargetScope;
  /** null: any period type */
  periodType: PeriodType | null;
  target: Target;
  updatedAt: string;
}

/** A plain work-plan count (complete count, no sampling): e.g. reports sent ≥ 1, households visited / on roster. */
export interface WorkPlanEntry {
  orgUnitId: string;
  period: string;
  key: string;
  name: { zh: string; en?: string };
  value: number;
  /** when set, the figure is value / denominator (coverage) and the target is a fraction */
  denominator: number | null;
  target: { op: Target['op']; value: number } | null;
  updatedAt: string;
}

export interface RollupQuery {
  indicatorIds: string[];
  orgUnitIds: string[];
  periods: string[];
}

export interface ReportRepository {
  // indicators
  listIndicators(): Promise<StoredIndicator[]>;
  getIndicator(id: string): Promise<StoredIndicator | null>;
  /** Insert or replace. */
  putIndicator(ind: StoredIndicator): Promise<void>;
  deleteIndicator(id: string): Promise<boolean>;
  // targets
  listTargets(indicatorId?: string): Promise<StoredTarget[]>;
  putTarget(t: StoredTarget): Promise<void>;
  deleteTarget(indicatorId: string, scope: TargetScope, periodType: PeriodType | null): Promise<boolean>;
  // work plan
  listWorkPlan(orgUnitIds: string[], periods: string[]): Promise<WorkPlanEntry[]>;
  putWorkPlan(e: WorkPlanEntry): Promise<void>;
  deleteWorkPlan(orgUnitId: string, period: string, key: string): Promise<boolean>;
  // rollups
  rollups(q: RollupQuery): Promise<RollupRow[]>;
  itemRollups(q: { formIds: string[]; orgUnitIds: string[]; periods: string[] }): Promise<ItemRollupRow[]>;
  /** Apply a delta outside an insert (a review decision that changed whether a submission counts). */
  applyDelta(delta: RollupDelta): Promise<void>;
  /** Replace every rollup and every submission's facts (the rebuild command), atomically where the database can. */
  replaceAll(rows: RollupRow[], items: ItemRollupRow[]): Promise<void>;
  setFacts(facts: { id: string; facts: SubmissionFacts | null }[]): Promise<void>;
  /** Stored submissions whose rollup delta may not have been applied (MongoDB without transactions); SQLite: always empty. */
  unrolled(limit: number): Promise<string[]>;
  markRolledUp(ids: string[]): Promise<void>;
  /**
   * Stream submissions matching a filter in storage order (SQLite rowid, MongoDB _id) with an
   * opaque cursor: each page continues where the last stopped, so reading everything costs one
   * pass whatever the filter (exports, scans) — unlike list(), which sorts by receivedAt.
   */
  scan(filter: SubmissionFilter, after: string | null, limit: number): Promise<{ items: Submission[]; next: string | null }>;
  /** Free-text suggestions of satisfaction submissions in a subtree and time range, newest first. */
  suggestions(q: { formIds: string[]; orgUnitPath: string; from: string; to: string; limit: number; countedStates: readonly ReviewState[] }): Promise<{ id: string; orgUnitId: string; completedAt: string; text: string }[]>;
}
