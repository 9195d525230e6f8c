/**
 * Mongoose schemas for access control, review, audit and the census identity index (issue 3).
 * Same conventions as models.ts: domain keys as string `_id`, ISO strings for times, strict
 * schemas, unique indexes mirroring the SQLite constraints.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ReviewState } from '../../../common/api/submissions';
import { REVIEW_STATES } from '../../../common/api/submissions';
import type { AuditEvent, DiffEntry, RoleAssignment } from '../port';

export interface UserDoc {
  _id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: RoleAssignment[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** set only on the user created by insertFirst; a unique partial index allows one such user */
  firstUser?: true;
}
export interface SessionDoc { _id: string; userId: string; createdAt: string; lastSeenAt: string; expiresAt: string }
export interface LoginAttemptDoc { _id: string; failures: number; lockedUntil: string | null }
export interface DeviceDoc {
  _id: string; label: string; orgUnitId: string; formIds: string[]; tokenHash: string;
  createdAt: string; createdBy: string | null; lastSeenAt: string | null; revokedAt: string | null;
}
export interface EnrolmentDoc {
  _id: string; orgUnitId: string; formIds: string[]; label: string | null; createdBy: string;
  createdAt: string; expiresAt: string; usedAt: string | null; deviceId: string | null;
}
export interface AuditDoc extends Omit<AuditEvent, 'id'> { _id: string }
export interface ReviewEventDoc {
  _id: string; submissionId: string; fromState: ReviewState; toState: ReviewState; comment: string | null;
  byUserId: string; byName: string; at: string;
}
export interface RevisionDoc {
  submissionId: string; revision: number; answers: Record<string, unknown>; diff: DiffEntry[];
  comment: string; byUserId: string; byName: string; at: string;
}
export interface PersonIndexDoc { blindIndex: string; submissionId: string }
export interface SetupTokenDoc { _id: string; createdAt: string }
/** A shared token bucket; `at` is epoch ms (a number, unlike other times) because the pipeline update does arithmetic on it. */
export interface RateLimitDoc { _id: string; tokens: number; at: number; allowed: boolean }

export const ACCESS_COLLECTIONS = {
  users: 'users',
  sessions: 'sessions',
  loginAttempts: 'login_attempts',
  devices: 'devices',
  enrolments: 'enrolments',
  audit: 'audit_events',
  reviewEvents: 'review_events',
  revisions: 'submission_revisions',
  personIndex: 'person_index',
  setupTokens: 'setup_tokens',
  rateLimits: 'rate_limits',
} as const;

const OPTIONS = { strict: 'throw', strictQuery: 'throw', minimize: false, versionKey: false, timestamps: false, autoIndex: false, autoCreate: false } as const;
const str = { type: String, required: true };
const nullable = { type: String, default: null };
const reviewState = { type: String, enum: REVIEW_STATES, required: true };

const roleSchema = new Schema<RoleAssignment>({ role: str, orgUnitId: nullable }, { _id: false, strict: 'throw', versionKey: false });
const users = new Schema<UserDoc>({
  _id: str, username: str, displayName: str, passwordHash: str, roles: { type: [roleSchema], default: [] },
  disabled: { type: Boolean, required: true }, createdAt: str, updatedAt: str, firstUser: { type: Boolean },
}, { ...OPTIONS, collection: ACCESS_COLLECTIONS.users });
users.index({ username: 1 }, { unique: true, name: 'username_unique' });
users.index({ firstUser: 1 }, { unique: true, name: 'first_user_unique', partialFilterExpression: { firstUser: true } });

const sessions = new Schema<SessionDoc>({ _id: str, userId: str, createdAt: str, lastSeenAt: str, expiresAt: str },
  { ...OPTIONS, collection: ACCESS_COLLECTIONS.sessions });
sessions.index({ userId: 1 }, { name: 'userId' });
sessions.index({ expiresAt: 1 }, { name: 'expiresAt' });

const loginAttempts = new Schema<LoginAttemptDoc>({ _id: str, failures: { type: Number, required: true }, lockedUntil: nullable },
  { ...OPTIONS, collection: ACCESS_COLLECTIONS.loginAttempts });

const devices = new Schema<DeviceDoc>({
  _id: str, label: str, orgUnitId: str, formIds: { type: [String], default: [] }, tokenHash: str,
  createdAt: str, createdBy: nullable, lastSeenAt: nullable, revokedAt: nullable,
}, { ...OPTIONS, collection: ACCESS_COLLECTIONS.devices });
devices.index({ tokenHash: 1 }, { unique: true, name: 'tokenHash_unique' });

const enrolments = new Schema<EnrolmentDoc>({
  _id: str, orgUnitId: str, formIds: { type: [String], default: [] }, label: nullable, createdBy: str,
  createdAt: str, expiresAt: str, usedAt: nullable, deviceId: nullable,
}, { ...OPTIONS, collection: ACCESS_COLLECTIONS.enrolments });

const audit = new Schema<AuditDoc>({
  _id: str, at: str, type: str, actorKind: str, actorId: nullable, actorName: nullable, orgUnitId: nullable,
  orgUnitPath: nullable, targetType: nullable, targetId: nullable, details: { type: Schema.Types.Mixed, required: true },
}, { ...OPTIONS, collection: ACCESS_COLLECTIONS.audit });
audit.index({ at: -1, _id: -1 }, { name: 'at_id' });
audit.index({ orgUnitPath: 1 }, { name: 'orgUnitPath' });

const reviewEvents = new Schema<ReviewEventDoc>({
  _id: str, submissionId: str, fromState: reviewState, toState: reviewState, comment: nullable, byUserId: str, byName: str, at: str,
}, { ...OPTIONS, collection: ACCESS_COLLECTIONS.reviewEvents });
reviewEvents.index({ submissionId: 1, at: 1 }, { name: 'submissionId_at' });

const revisions = new Schema<RevisionDoc>({
  submissionId: str, revision: { type: Number, required: true }, answers: { type: Schema.Types.Mixed, required: true },
  diff: { type: Schema.Types.Mixed, required: true }, comment: { type: String, default: '' }, byUserId: str, byName: str, at: str,
}, { ...OPTIONS, collection: ACCESS_COLLECTIONS.revisions });
revisions.index({ submissionId: 1, revision: 1 }, { unique: true, name: 'submissionId_revision_unique' });

const personIndex = new Schema<PersonIndexDoc>({ blindIndex: str, submissionId: str }, { ...OPTIONS, collection: ACCESS_COLLECTIONS.personIndex });
personIndex.index({ blindIndex: 1, submissionId: 1 }, { unique: true, name: 'blindIndex_submissionId_unique' });

const setupTokens = new Schema<SetupTokenDoc>({ _id: str, createdAt: str }, { ...OPTIONS, collection: ACCESS_COLLECTIONS.setupTokens });

const rateLimits = new Schema<RateLimitDoc>({
  _id: str, tokens: { type: Number, required: true }, at: { type: Number, required: true }, allowed: { type: Boolean, required: true },
}, { ...OPTIONS, collection: ACCESS_COLLECTIONS.rateLimits });
rateLimits.index({ at: 1 }, { name: 'at' });

export interface AccessModels {
  users: Model<UserDoc>;
  sessions: Model<SessionDoc>;
  loginAttempts: Model<LoginAttemptDoc>;
  devices: Model<DeviceDoc>;
  enrolments: Model<EnrolmentDoc>;
  audit: Model<AuditDoc>;
  reviewEvents: Model<ReviewEventDoc>;
  revisions: Model<RevisionDoc>;
  personIndex: Model<PersonIndexDoc>;
  setupTokens: Model<SetupTokenDoc>;
  rateLimits: Model<RateLimitDoc>;
}

export function defineAccessModels(conn: Connection): AccessModels {
  return {
    users: conn.model<UserDoc>('User', users),
    sessions: conn.model<SessionDoc>('Session', sessions),
    loginAttempts: conn.model<LoginAttemptDoc>('LoginAttempt', loginAttempts),
    devices: conn.model<DeviceDoc>('Device', devices),
    enrolments: conn.model<EnrolmentDoc>('Enrolment', enrolments),
    audit: conn.model<AuditDoc>('AuditEvent', audit),
    reviewEvents: conn.model<ReviewEventDoc>('ReviewEvent', reviewEvents),
    revisions: conn.model<RevisionDoc>('SubmissionRevision', revisions),
    personIndex: conn.model<PersonIndexDoc>('PersonIndexEntry', personIndex),
    setupTokens: conn.model<SetupTokenDoc>('SetupToken', setupTokens),
    rateLimits: conn.model<RateLimitDoc>('RateLimit', rateLimits),
  };
}
