import { z } from 'zod';
import { LocalizedTextSchema } from '../localized';

export const FORM_KINDS = ['knowledge', 'satisfaction', 'census', 'general'] as const;
export const FormKindSchema = z.enum(FORM_KINDS);
export type FormKind = z.infer<typeof FormKindSchema>;

export const FORM_STATUSES = ['draft', 'published', 'archived'] as const;
export const FormStatusSchema = z.enum(FORM_STATUSES);
export type FormStatus = z.infer<typeof FormStatusSchema>;

export const FormSlugSchema = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'slug: 2–63 lower-case letters, digits or -');

/** A SurveyJS JSON definition. Its inner shape is checked by survey-core, not by zod. */
export const SurveyDefinitionSchema = z.record(z.string(), z.unknown());
export type SurveyDefinition = Record<string, unknown>;

export const FormSchema = z.object({
  id: z.string(),
  slug: z.string(),
  kind: FormKindSchema,
  title: LocalizedTextSchema,
  status: FormStatusSchema,
  latestVersion: z.number().int().nullable(),
  hasDraft: z.boolean(),
  draftUpdatedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FormDto = z.infer<typeof FormSchema>;

export const FormWithDraftSchema = FormSchema.extend({ draft: SurveyDefinitionSchema.nullable() });

export const FormVersionSchema = z.object({
  formId: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  definition: SurveyDefinitionSchema,
  publishedAt: z.string(),
  publishedBy: z.string().nullable(),
});
export type FormVersionDto = z.infer<typeof FormVersionSchema>;
export const FormVersionSummarySchema = FormVersionSchema.omit({ definition: true });

export const CreateFormBody = z.strictObject({
  slug: FormSlugSchema,
  kind: FormKindSchema,
  title: LocalizedTextSchema,
  definition: SurveyDefinitionSchema,
});
export type CreateFormInput = z.infer<typeof CreateFormBody>;

export const UpdateFormBody = z.strictObject({
  title: LocalizedTextSchema.optional(),
  definition: SurveyDefinitionSchema.optional(),
  /**
   * Optimistic concurrency for the draft: the `draftUpdatedAt` the client last read (null: it
   * started from no draft). When given and the stored draft's revision differs, the PATCH is
   * refused with `409 FORM_DRAFT_CONFLICT` and nothing is written. Omit it to overwrite.
   */
  expectedDraftUpdatedAt: z.string().max(40).nullable().optional(),
});

export const PublishFormBody = z.strictObject({
  publishedBy: z.string().trim().min(1).max(100).optional(),
}).default({});

export const ListFormsQuery = z.strictObject({
  kind: FormKindSchema.optional(),
  status: FormStatusSchema.optional(),
});

/** One problem found in a form definition, located by question name where there is one. */
export const DefinitionProblemSchema = z.object({
  code: z.string(),
  message: z.string(),
  question: z.string().optional(),
});
export type DefinitionProblem = z.infer<typeof DefinitionProblemSchema>;
