import { z } from 'zod';
import { LocalizedTextSchema } from '../localized';

/** county 县 → township 乡镇 → village 村 → group 村民小组 */
export const ORG_UNIT_LEVELS = ['county', 'township', 'village', 'group'] as const;
export const OrgUnitLevelSchema = z.enum(ORG_UNIT_LEVELS);
export type OrgUnitLevel = z.infer<typeof OrgUnitLevelSchema>;

export function levelIndex(level: OrgUnitLevel): number {
  return ORG_UNIT_LEVELS.indexOf(level);
}

/** Codes are administrative codes or staff-made short codes: letters, digits, - and _. */
export const OrgUnitCodeSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, 'code: 1–40 letters, digits, - or _');
export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'id: 1–64 letters, digits, - or _');

export const OrgUnitSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: LocalizedTextSchema,
  level: OrgUnitLevelSchema,
  parentId: z.string().nullable(),
  /** ids from the root down to this unit, e.g. "/c1/t1/v1/" */
  path: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrgUnitDto = z.infer<typeof OrgUnitSchema>;

export const CreateOrgUnitBody = z.strictObject({
  code: OrgUnitCodeSchema,
  name: LocalizedTextSchema,
  level: OrgUnitLevelSchema,
  parentId: IdSchema.nullable().optional(),
});
export type CreateOrgUnitInput = z.infer<typeof CreateOrgUnitBody>;

export const UpdateOrgUnitBody = z.strictObject({
  name: LocalizedTextSchema.optional(),
  /** move: the new parent (null only for a county) */
  parentId: IdSchema.nullable().optional(),
});

export const ListOrgUnitsQuery = z.strictObject({
  /** subtree root; omitted = whole tree */
  root: IdSchema.optional(),
  level: OrgUnitLevelSchema.optional(),
});

export const OrgUnitGroupSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: LocalizedTextSchema,
  memberIds: z.array(z.string()),
});
export type OrgUnitGroupDto = z.infer<typeof OrgUnitGroupSchema>;

export const CreateOrgUnitGroupBody = z.strictObject({
  code: OrgUnitCodeSchema,
  name: LocalizedTextSchema,
  memberIds: z.array(IdSchema).max(10000).default([]),
});
export const UpdateOrgUnitGroupBody = z.strictObject({
  name: LocalizedTextSchema.optional(),
  memberIds: z.array(IdSchema).max(10000).optional(),
});

export const ImportOrgUnitsResult = z.object({
  created: z.number(),
  updated: z.number(),
});
