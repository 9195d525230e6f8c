/**
 * HTTP contract for staff accounts, sessions, review and the audit log (issue 3).
 * Roles hold on an org-unit subtree; `orgUnitId: null` means the whole system (the first admin).
 */
import { z } from 'zod';
import { IdSchema } from './org-units';
import { REVIEW_STATES } from './submissions';
import { REVIEW_DECISIONS } from '../review';

export const ROLES = ['admin', 'designer', 'reviewer', 'analyst', 'enumerator'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const RoleAssignmentSchema = z.strictObject({
  role: RoleSchema,
  /** the subtree the role holds on; null = everywhere (system-wide) */
  orgUnitId: IdSchema.nullable(),
});
export type RoleAssignment = z.infer<typeof RoleAssignmentSchema>;

export const UsernameSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, 'username: 2–40 letters, digits, . _ -');
/** Long enough to resist guessing; no composition rules (NIST SP 800-63B). Upper bound guards argon2 from huge inputs. */
export const PasswordSchema = z.string().min(10, 'password: at least 10 characters').max(200);

export const LoginBody = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(40),
  password: z.string().min(1).max(200),
});

export const SetupBody = z.strictObject({
  token: z.string().min(10).max(200),
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(100),
  password: PasswordSchema,
});

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: PasswordSchema,
});

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.object({ role: RoleSchema, orgUnitId: z.string().nullable() })),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserDto = z.infer<typeof UserSchema>;

export const MeSchema = z.object({
  user: UserSchema,
  /** send as `X-CSRF-Token` on every write (it is also in the `cw_csrf` cookie) */
  csrfToken: z.string(),
  expiresAt: z.string(),
});
export type MeDto = z.infer<typeof MeSchema>;

export const CreateUserBody = z.strictObject({
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(100),
  password: PasswordSchema,
  roles: z.array(RoleAssignmentSchema).min(1).max(50),
});

export const UpdateUserBody = z.strictObject({
  displayName: z.string().trim().min(1).max(100).optional(),
  roles: z.array(RoleAssignmentSchema).min(1).max(50).optional(),
  disabled: z.boolean().optional(),
});

export const ResetPasswordBody = z.strictObject({ password: PasswordSchema });

export const DeviceSchema = z.object({
  id: z.string(),
  label: z.string(),
  orgUnitId: z.string(),
  formIds: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type DeviceDto = z.infer<typeof DeviceSchema>;

export const UpdateDeviceBody = z.strictObject({
  label: z.string().trim().min(1).max(100).optional(),
  orgUnitId: IdSchema.optional(),
  formIds: z.array(IdSchema).min(1).max(50).optional(),
});

export const ReviewBody = z.strictObject({
  state: z.enum(REVIEW_DECISIONS),
  comment: z.string().trim().max(2000).optional(),
});

export const ReviewEventSchema = z.object({
  id: z.string(),
  submissionId: z.string(),
  fromState: z.enum(REVIEW_STATES),
  toState: z.enum(REVIEW_STATES),
  comment: z.string().nullable(),
  byUserId: z.string(),
  byName: z.string(),
  at: z.string(),
});

export const ReviseBody = z.strictObject({
  /** answers to change: question name → new value (a dynamic-panel question is replaced whole) */
  changes: z.record(z.string().max(200), z.unknown()),
  comment: z.string().trim().min(1).max(2000),
});

export const DiffEntrySchema = z.object({
  path: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const RevisionSchema = z.object({
  submissionId: z.string(),
  revision: z.number().int(),
  diff: z.array(DiffEntrySchema),
  comment: z.string(),
  byUserId: z.string(),
  byName: z.string(),
  at: z.string(),
});

export const AUDIT_TYPES = [
  'auth.login', 'auth.login_failed', 'auth.logout', 'auth.password_changed', 'auth.setup',
  'user.created', 'user.updated', 'user.roles_changed', 'user.password_reset', 'user.sessions_revoked',
  'device.enrolment_created', 'device.enrolled', 'device.updated', 'device.revoked',
  'form.published', 'submission.reviewed', 'submission.revised', 'census.read', 'census.revealed', 'export',
] as const;
export const AuditTypeSchema = z.enum(AUDIT_TYPES);
export type AuditType = z.infer<typeof AuditTypeSchema>;

export const AuditEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  type: AuditTypeSchema,
  actorKind: z.enum(['user', 'device', 'system', 'anonymous']),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  orgUnitId: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEventDto = z.infer<typeof AuditEventSchema>;

export const ListAuditQuery = z.strictObject({
  type: AuditTypeSchema.optional(),
  actor: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
