/** Contracts of the designer routes (issue 6): XLSForm import result and version diff. */
import { z } from 'zod';
import { DefinitionProblemSchema, SurveyDefinitionSchema, UpdateFormBody } from './forms';

/**
 * `PATCH /forms/:formId`: title and / or draft, with optimistic concurrency for the draft — the
 * `draftUpdatedAt` the client last read (null: it started from no draft). When given and the
 * stored draft's revision differs, the PATCH is refused with `409 FORM_DRAFT_CONFLICT` and nothing
 * is written. Omitted: the save overwrites (old clients, the explicit "overwrite" choice).
 */
// server-side only: marked pure so that client bundles drop it (and UpdateFormBody with it)
export const SaveDraftBody = /* @__PURE__ */ UpdateFormBody.extend({
  expectedDraftUpdatedAt: /* @__PURE__ */ (/* @__PURE__ */ (/* @__PURE__ */ (/* @__PURE__ */ z.string()).max(40)).nullable()).optional(),
});

export const XlsProblemSchema = z.object({
  sheet: z.enum(['survey', 'choices', 'settings']),
  row: z.number().int(),
  column: z.string().optional(),
  question: z.string().optional(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  messageEn: z.string(),
});
export type XlsProblemDto = z.infer<typeof XlsProblemSchema>;

export const XlsformImportResult = z.object({
  definition: SurveyDefinitionSchema,
  /** everything the translation could not carry over exactly, with its sheet and row */
  problems: z.array(XlsProblemSchema),
  /** checkDefinition of the result for the requested kind (default general) */
  definitionProblems: z.array(DefinitionProblemSchema),
  title: z.object({ zh: z.string(), en: z.string().optional() }).optional(),
  settings: z.record(z.string(), z.string().optional()),
});
export type XlsformImportDto = z.infer<typeof XlsformImportResult>;

const DiffQuestionSchema = z.object({ name: z.string(), path: z.string(), type: z.string(), title: z.string() });
export const DiffResult = z.object({
  from: z.number().int().nullable(),
  to: z.union([z.number().int(), z.literal('draft')]),
  added: z.array(DiffQuestionSchema),
  removed: z.array(DiffQuestionSchema),
  changed: z.array(DiffQuestionSchema.extend({
    aspects: z.array(z.string()),
    choices: z.object({ added: z.array(z.unknown()), removed: z.array(z.unknown()), relabeled: z.array(z.unknown()), reordered: z.boolean() }).optional(),
    before: z.object({ correctAnswer: z.unknown().optional(), type: z.string().optional() }).optional(),
    after: z.object({ correctAnswer: z.unknown().optional(), type: z.string().optional() }).optional(),
  })),
  pagesAdded: z.array(z.string()),
  pagesRemoved: z.array(z.string()),
  warnings: z.array(z.object({ code: z.string(), question: z.string(), zh: z.string(), en: z.string() })),
  identical: z.boolean(),
});
export type DiffDto = z.infer<typeof DiffResult>;
