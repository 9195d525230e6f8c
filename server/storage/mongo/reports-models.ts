/** Mongoose schemas for the reports part of the port (issue 5): rollups, indicators, targets, work plan. */
import { Schema, type Connection, type Model } from 'mongoose';
import type { LocalizedText } from '../../../common/localized';
import type { ExcludedKey, ItemCountKey } from '../reports-port';

export interface RollupDoc {
  indicatorId: string; orgUnitId: string; period: string;
  numerator?: number; numeratorSq?: number; denominator?: number; responses?: number;
  excluded?: Partial<Record<ExcludedKey, number>>;
}
export interface ItemRollupDoc { formId: string; item: string; orgUnitId: string; period: string; counts?: Partial<Record<ItemCountKey, number>> }
export interface IndicatorDoc { _id: string; definition: unknown; builtIn: boolean; createdAt: string; updatedAt: string }
/** scopeId '' for the default scope and periodType '*' for "any", as in SQLite, so the unique index covers them. */
export interface TargetDoc { indicatorId: string; scopeKind: 'org_unit' | 'group' | 'default'; scopeId: string; periodType: string; op: string; value: number; updatedAt: string }
export interface WorkPlanDoc {
  orgUnitId: string; period: string; key: string; name: LocalizedText; value: number; denominator: number | null;
  target: { op: string; value: number } | null; updatedAt: string;
}

export const REPORT_COLLECTIONS = {
  rollups: 'rollups',
  itemRollups: 'item_rollups',
  indicators: 'indicators',
  targets: 'indicator_targets',
  workPlan: 'work_plan',
} as const;

const OPTIONS = { strict: 'throw', strictQuery: 'throw', minimize: false, versionKey: false, timestamps: false, autoIndex: false, autoCreate: false } as const;
const str = { type: String, required: true };

const rollups = new Schema<RollupDoc>({
  indicatorId: str, orgUnitId: str, period: str,
  numerator: Number, numeratorSq: Number, denominator: Number, responses: Number, excluded: Schema.Types.Mixed,
}, { ...OPTIONS, collection: REPORT_COLLECTIONS.rollups });
rollups.index({ indicatorId: 1, orgUnitId: 1, period: 1 }, { unique: true, name: 'indicator_unit_period_unique' });

const itemRollups = new Schema<ItemRollupDoc>({ formId: str, item: str, orgUnitId: str, period: str, counts: Schema.Types.Mixed },
  { ...OPTIONS, collection: REPORT_COLLECTIONS.itemRollups });
itemRollups.index({ formId: 1, orgUnitId: 1, period: 1, item: 1 }, { unique: true, name: 'form_unit_period_item_unique' });

const indicators = new Schema<IndicatorDoc>({ _id: str, definition: { type: Schema.Types.Mixed, required: true }, builtIn: { type: Boolean, required: true }, createdAt: str, updatedAt: str },
  { ...OPTIONS, collection: REPORT_COLLECTIONS.indicators });

const targets = new Schema<TargetDoc>({
  indicatorId: str, scopeKind: { type: String, enum: ['org_unit', 'group', 'default'], required: true }, scopeId: { type: String, default: '' },
  periodType: str, op: { type: String, enum: ['>=', '>', '<=', '<'], required: true }, value: { type: Number, required: true }, updatedAt: str,
}, { ...OPTIONS, collection: REPORT_COLLECTIONS.targets });
targets.index({ indicatorId: 1, scopeKind: 1, scopeId: 1, periodType: 1 }, { unique: true, name: 'indicator_scope_period_unique' });

const localized = new Schema<LocalizedText>({ zh: str, en: String }, { _id: false, strict: 'throw', versionKey: false });
const workTarget = new Schema<{ op: string; value: number }>({ op: str, value: { type: Number, required: true } }, { _id: false, strict: 'throw', versionKey: false });
const workPlan = new Schema<WorkPlanDoc>({
  orgUnitId: str, period: str, key: str, name: { type: localized, required: true }, value: { type: Number, required: true },
  denominator: { type: Number, default: null }, target: { type: workTarget, default: null }, updatedAt: str,
}, { ...OPTIONS, collection: REPORT_COLLECTIONS.workPlan });
workPlan.index({ orgUnitId: 1, period: 1, key: 1 }, { unique: true, name: 'unit_period_key_unique' });

export interface ReportModels {
  rollups: Model<RollupDoc>;
  itemRollups: Model<ItemRollupDoc>;
  indicators: Model<IndicatorDoc>;
  targets: Model<TargetDoc>;
  workPlan: Model<WorkPlanDoc>;
}

export function defineReportModels(conn: Connection): ReportModels {
  return {
    rollups: conn.model<RollupDoc>('Rollup', rollups),
    itemRollups: conn.model<ItemRollupDoc>('ItemRollup', itemRollups),
    indicators: conn.model<IndicatorDoc>('Indicator', indicators),
    targets: conn.model<TargetDoc>('IndicatorTarget', targets),
    workPlan: conn.model<WorkPlanDoc>('WorkPlanEntry', workPlan),
  };
}
