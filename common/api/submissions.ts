import { z } from 'zod';
import { IdSchema } from './org-units';

export const SUBMISSION_OUTCOMES = ['stored', 'duplicate', 'conflict', 'rejected'] as const;
export type SubmissionOutcome = (typeof SUBMISSION_OUTCOMES)[number];

export const REVIEW_STATES = ['received', 'has_issues', 'approved', 'rejected'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

const IsoInstant = z.iso.datetime({ offset: true });
/** Answers are an object keyed by question name; their inner shape is checked against the form version. */
export const AnswersSchema = z.record(z.string().max(200), z.unknown());

export const SubmissionItemSchema = z.strictObject({
  id: z.uuid(),
  formId: IdSchema,
  formVersion: z.number().int().positive(),
  orgUnit: IdSchema,
  answers: AnswersSchema,
  startedAt: IsoInstant,
  completedAt: IsoInstant,
  device: z.string().max(100).optional(),
});
export type SubmissionItem = z.infer<typeof SubmissionItemSchema>;

/** The envelope is checked strictly; each item is then checked on its own so one bad item never blocks the rest. */
export const SubmitBatchBody = z.strictObject({
  submissions: z.array(z.unknown()).min(1),
});

export const AnswerProblemSchema = z.object({
  question: z.string().optional(),
  code: z.string(),
  message: z.string(),
});
export type AnswerProblem = z.infer<typeof AnswerProblemSchema>;

export const SubmissionResultSchema = z.object({
  id: z.string().nullable(),
  index: z.number().int(),
  status: z.enum(SUBMISSION_OUTCOMES),
  code: z.string().optional(),
  message: z.string().optional(),
  problems: z.array(AnswerProblemSchema).optional(),
});
export type SubmissionResult = z.infer<typeof SubmissionResultSchema>;

export const SubmitBatchResponse = z.object({
  results: z.array(SubmissionResultSchema),
  counts: z.record(z.enum(SUBMISSION_OUTCOMES), z.number()),
});
export type SubmitBatchResponseDto = z.infer<typeof SubmitBatchResponse>;

export const SubmissionSchema = z.object({
  id: z.string(),
  formId: z.string(),
  formVersion: z.number().int(),
  orgUnitId: z.string(),
  answers: AnswersSchema,
  startedAt: z.string(),
  completedAt: z.string(),
  receivedAt: z.string(),
  deviceId: z.string().nullable(),
  reviewState: z.enum(REVIEW_STATES),
});
export type SubmissionDto = z.infer<typeof SubmissionSchema>;

/**
 * A comma-separated list of review states in a query string (`received,has_issues`): each must be
 * one of REVIEW_STATES; duplicates collapse; empty entries or unknown states are a 400.
 */
export const ReviewStateList = z.string().max(100)
  .transform((v) => v.split(','))
  .pipe(z.array(z.enum(REVIEW_STATES)).min(1))
  .transform((list) => [...new Set(list)]);

export const ListSubmissionsQuery = z.strictObject({
  formId: IdSchema.optional(),
  formVersion: z.coerce.number().int().positive().optional(),
  /** org unit subtree */
  orgUnit: IdSchema.optional(),
  /** period id: 2026, 2026S1, 2026Q1, 2026-03 (on completedAt, China time) */
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|Q[1-4]|S[12])?$/).optional(),
  /** one or several review states, comma-separated: `reviewState=received,has_issues` */
  reviewState: ReviewStateList.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
