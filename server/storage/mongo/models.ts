/**
 * Mongoose schemas and models of the MongoDB adapter. Every document uses the domain id as its
 * `_id` (strings, never ObjectIds) except form versions, whose identity is (formId, version).
 * Times are ISO-8601 strings exactly as the services give them (they sort lexically). Unique
 * constraints mirror the SQLite schema; the indexes serve the port's queries.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { LocalizedText } from '../../../common/localized';
import type { OrgUnitLevel } from '../../../common/api/org-units';
import type { FormKind, FormStatus, SurveyDefinition } from '../../../common/api/forms';
import type { ReviewState } from '../../../common/api/submissions';
import { ORG_UNIT_LEVELS } from '../../../common/api/org-units';
import { FORM_KINDS, FORM_STATUSES } from '../../../common/api/forms';
import { REVIEW_STATES } from '../../../common/api/submissions';
import type { Submission } from '../port';

export interface OrgUnitDoc {
  _id: string;
  code: string;
  name: LocalizedText;
  level: OrgUnitLevel;
  parentId: string | null;
  path: string;
  createdAt: string;
  updatedAt: string;
}

export interface OrgUnitGroupDoc {
  _id: string;
  code: string;
  name: LocalizedText;
  memberIds: string[];
}

export interface FormDoc {
  _id: string;
  slug: string;
  kind: FormKind;
  title: LocalizedText;
  status: FormStatus;
  draft: SurveyDefinition | null;
  draftUpdatedAt: string | null;
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FormVersionDoc {
  formId: string;
  version: number;
  contentHash: string;
  definition: SurveyDefinition;
  publishedAt: string;
  publishedBy: string | null;
}

/** A stored submission: the port's Submission with the client UUID as `_id`, plus adapter bookkeeping. */
export type SubmissionDoc = Omit<Submission, 'id'> & {
  _id: string;
  /** id of the review event that set reviewState (lets an interrupted review.record finish on retry) */
  lastReviewEventId?: string | null;
  /** false until the rollup delta of this submission was applied (see reports.ts) */
  rolledUp?: boolean;
};

/** The collection names, also listed in docs/deploy-mongodb.md. */
export const COLLECTIONS = {
  orgUnits: 'org_units',
  orgUnitGroups: 'org_unit_groups',
  forms: 'forms',
  formVersions: 'form_versions',
  submissions: 'submissions',
} as const;

// strict: 'throw' rejects unknown fields on write; strictQuery: 'throw' rejects unknown paths in
// filters; minimize: false keeps empty objects (answers: {} must round-trip); no __v, no timestamps
// (the services own createdAt/updatedAt).
const OPTIONS = { strict: 'throw', strictQuery: 'throw', minimize: false, versionKey: false, timestamps: false, autoIndex: false, autoCreate: false } as const;

const localized = new Schema<LocalizedText>({ zh: { type: String, required: true }, en: { type: String } }, { _id: false, strict: 'throw', versionKey: false });
const nullableString = { type: String, default: null };
const requiredString = { type: String, required: true };

const orgUnitSchema = new Schema<OrgUnitDoc>({
  _id: requiredString,
  code: requiredString,
  name: { type: localized, required: true },
  level: { type: String, enum: ORG_UNIT_LEVELS, required: true },
  parentId: nullableString,
  path: requiredString,
  createdAt: requiredString,
  updatedAt: requiredString,
}, { ...OPTIONS, collection: COLLECTIONS.orgUnits });
orgUnitSchema.index({ code: 1 }, { unique: true, name: 'code_unique' });
orgUnitSchema.index({ path: 1 }, { name: 'path' });
orgUnitSchema.index({ parentId: 1 }, { name: 'parentId' });

const groupSchema = new Schema<OrgUnitGroupDoc>({
  _id: requiredString,
  code: requiredString,
  name: { type: localized, required: true },
  memberIds: { type: [String], default: [] },
}, { ...OPTIONS, collection: COLLECTIONS.orgUnitGroups });
groupSchema.index({ code: 1 }, { unique: true, name: 'code_unique' });
groupSchema.index({ memberIds: 1 }, { name: 'memberIds' });

const formSchema = new Schema<FormDoc>({
  _id: requiredString,
  slug: requiredString,
  kind: { type: String, enum: FORM_KINDS, required: true },
  title: { type: localized, required: true },
  status: { type: String, enum: FORM_STATUSES, required: true },
  draft: { type: Schema.Types.Mixed, default: null },
  draftUpdatedAt: nullableString,
  latestVersion: { type: Number, default: null },
  createdAt: requiredString,
  updatedAt: requiredString,
}, { ...OPTIONS, collection: COLLECTIONS.forms });
formSchema.index({ slug: 1 }, { unique: true, name: 'slug_unique' });

const formVersionSchema = new Schema<FormVersionDoc>({
  formId: requiredString,
  version: { type: Number, required: true },
  contentHash: requiredString,
  definition: { type: Schema.Types.Mixed, required: true },
  publishedAt: requiredString,
  publishedBy: nullableString,
}, { ...OPTIONS, collection: COLLECTIONS.formVersions });
formVersionSchema.index({ formId: 1, version: 1 }, { unique: true, name: 'formId_version_unique' });

const submissionSchema = new Schema<SubmissionDoc>({
  _id: requiredString,
  formId: requiredString,
  formVersion: { type: Number, required: true },
  orgUnitId: requiredString,
  orgUnitPath: requiredString,
  answers: { type: Schema.Types.Mixed, required: true },
  contentHash: requiredString,
  startedAt: requiredString,
  completedAt: requiredString,
  receivedAt: requiredString,
  deviceId: nullableString,
  reviewState: { type: String, enum: REVIEW_STATES, required: true },
  lastReviewEventId: { type: String },
  facts: { type: Schema.Types.Mixed },
  rolledUp: { type: Boolean },
}, { ...OPTIONS, collection: COLLECTIONS.submissions });
submissionSchema.index({ formId: 1, formVersion: 1 }, { name: 'formId_formVersion' });
submissionSchema.index({ orgUnitPath: 1 }, { name: 'orgUnitPath' });
submissionSchema.index({ completedAt: 1 }, { name: 'completedAt' });
submissionSchema.index({ receivedAt: 1, _id: 1 }, { name: 'receivedAt_id' });
// the review queue: submissions in some review states, in listing order (receivedAt, _id)
submissionSchema.index({ reviewState: 1, receivedAt: 1, _id: 1 }, { name: 'reviewState_receivedAt_id' });
// Only the few documents whose rollup delta is not applied yet are in this index (reports.unrolled).
submissionSchema.index({ rolledUp: 1 }, { name: 'rolledUp_pending', partialFilterExpression: { rolledUp: false } });

export interface Models {
  orgUnits: Model<OrgUnitDoc>;
  orgUnitGroups: Model<OrgUnitGroupDoc>;
  forms: Model<FormDoc>;
  formVersions: Model<FormVersionDoc>;
  submissions: Model<SubmissionDoc>;
}

export function defineModels(conn: Connection): Models {
  return {
    orgUnits: conn.model<OrgUnitDoc>('OrgUnit', orgUnitSchema),
    orgUnitGroups: conn.model<OrgUnitGroupDoc>('OrgUnitGroup', groupSchema),
    forms: conn.model<FormDoc>('Form', formSchema),
    formVersions: conn.model<FormVersionDoc>('FormVersion', formVersionSchema),
    submissions: conn.model<SubmissionDoc>('Submission', submissionSchema),
  };
}
