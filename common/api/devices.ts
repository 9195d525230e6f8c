/**
 * HTTP contract for shared tablets (devices). A staff member creates a one-time enrolment code
 * bound to an org unit and a set of published forms; the tablet exchanges the code for a
 * long-lived device credential (sent afterwards as `Authorization: Bearer <token>`).
 */
import { z } from 'zod';
import { LocalizedTextSchema } from '../localized';
import { FormKindSchema } from './forms';
import { IdSchema } from './org-units';

export const CreateEnrolmentBody = z.strictObject({
  orgUnitId: IdSchema,
  formIds: z.array(IdSchema).min(1).max(50),
  label: z.string().trim().min(1).max(100).optional(),
});

/** Shown once to the staff member, as text and as a QR code of `code`. */
export const EnrolmentSchema = z.object({
  code: z.string(),
  expiresAt: z.string(),
  orgUnitId: z.string(),
  formIds: z.array(z.string()),
});
export type EnrolmentDto = z.infer<typeof EnrolmentSchema>;

/** Codes are 10 characters from an alphabet without look-alikes, typed with or without dashes. */
export const EnrolmentCodeSchema = z.string().trim().transform((s) => s.replace(/[\s-]/g, '').toUpperCase()).pipe(z.string().regex(/^[A-HJ-NP-Z2-9]{10}$/));

export const EnrolBody = z.strictObject({
  code: EnrolmentCodeSchema,
  deviceLabel: z.string().trim().max(100).optional(),
});

export const AssignedFormSchema = z.object({
  formId: z.string(),
  slug: z.string(),
  kind: FormKindSchema,
  title: LocalizedTextSchema,
  /** the latest published version; fetch its definition from /forms/:formId/versions/:version */
  version: z.number().int(),
  status: z.enum(['draft', 'published', 'archived']),
});
export type AssignedFormDto = z.infer<typeof AssignedFormSchema>;

export const DeviceConfigSchema = z.object({
  id: z.string(),
  label: z.string(),
  orgUnit: z.object({ id: z.string(), code: z.string(), name: LocalizedTextSchema, path: z.string(), level: z.string() }),
  /** the org unit and its children a respondent may belong to (village → its groups) */
  orgUnitChoices: z.array(z.object({ id: z.string(), name: LocalizedTextSchema, level: z.string() })),
  forms: z.array(AssignedFormSchema),
  serverTime: z.string(),
});
export type DeviceConfigDto = z.infer<typeof DeviceConfigSchema>;

export const EnrolResponse = z.object({
  token: z.string(),
  device: DeviceConfigSchema,
});
export type EnrolResponseDto = z.infer<typeof EnrolResponse>;
