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

export const FormWithDraftSchema = /* @__PURE__ */ FormSchema.extend({ draft: /* @__PURE__ */ SurveyDefinitionSchema.nullable() });

export const FormVersionSchema = z.object({
  formId: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  definition: SurveyDefinitionSchema,
  publishedAt: z.string(),
  publishedBy: z.string().nullable(),
});
export type FormVersionDto = z.infer<typeof FormVersionSchema>;
export const FormVersionSummarySchema = /* @__PURE__ */ FormVersionSchema.omit({ definition: true });

// The kiosk's bundle includes this module (for FormVersionSchema): the staff-only request schemas
// below are marked pure so that a bundler drops them where they are not used.
export const CreateFormBody = /* @__PURE__ */ z.strictObject({
  slug: FormSlugSchema,
  kind: FormKindSchema,
  title: LocalizedTextSchema,
  definition: SurveyDefinitionSchema,
});
export type CreateFormInput = z.infer<typeof CreateFormBody>;

/** The title and / or the draft; the designer's save adds a revision check (`SaveDraftBody`, common/api/designer.ts). */
export const UpdateFormBody = /* @__PURE__ */ z.strictObject({
  title: /* @__PURE__ */ LocalizedTextSchema.optional(),
  definition: /* @__PURE__ */ SurveyDefinitionSchema.optional(),
});

const PublishedBy = /* @__PURE__ */ (/* @__PURE__ */ (/* @__PURE__ */ (/* @__PURE__ */ z.string()).trim()).min(1)).max(100);
export const PublishFormBody = /* @__PURE__ */ (/* @__PURE__ */ z.strictObject({ publishedBy: /* @__PURE__ */ PublishedBy.optional() })).default({});

export const ListFormsQuery = /* @__PURE__ */ z.strictObject({
  kind: /* @__PURE__ */ FormKindSchema.optional(),
  status: /* @__PURE__ */ FormStatusSchema.optional(),
});

/** One problem found in a form definition, located by question name where there is one. */
export const DefinitionProblemSchema = z.object({
  code: z.string(),
  message: z.string(),
  question: z.string().optional(),
});
export type DefinitionProblem = z.infer<typeof DefinitionProblemSchema>;
