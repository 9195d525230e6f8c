/**
 * The storage port: what the services need from a database, in plain types. Two adapters
 * implement it (sqlite/ — the embedded default — and mongo/) and one contract suite
 * (test/storage/) holds them to the same behaviour. Each method that writes is one use case and
 * runs in one transaction in the SQLite adapter, so no caller ever sees half of it.
 */
import type { LocalizedText } from '../../common/localized';
import type { OrgUnitLevel } from '../../common/api/org-units';
import type { FormKind, FormStatus, SurveyDefinition } from '../../common/api/forms';
import type { ReviewState } from '../../common/api/submissions';
import type { AuditType, Role } from '../../common/api/access';
import type { ReportRepository, RollupDelta, SubmissionFacts } from './reports-port';

export * from './reports-port';

export interface OrgUnit {
  id: string;
  code: string;
  name: LocalizedText;
  level: OrgUnitLevel;
  parentId: string | null;
  /** ids from the root down to and including this unit, "/root/…/self/" — a prefix query gives a subtree */
  path: string;
  createdAt: string;
  updatedAt: string;
}

export interface OrgUnitGroup {
  id: string;
  code: string;
  name: LocalizedText;
  memberIds: string[];
}

export interface Form {
  id: string;
  slug: string;
  kind: FormKind;
  title: LocalizedText;
  status: FormStatus;
  /** the editable definition; null once published until someone edits again */
  draft: SurveyDefinition | null;
  draftUpdatedAt: string | null;
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FormVersion {
  formId: string;
  version: number;
  /** sha256 of the canonical JSON of the definition */
  contentHash: string;
  definition: SurveyDefinition;
  publishedAt: string;
  publishedBy: string | null;
}

export interface Submission {
  id: string;
  formId: string;
  formVersion: number;
  orgUnitId: string;
  /** the org unit's path when received, so subtree queries need no join */
  orgUnitPath: string;
  answers: Record<string, unknown>;
  /** sha256 of the canonical content (form, version, org unit, answers, times): identical re-sends are duplicates */
  contentHash: string;
  startedAt: string;
  completedAt: string;
  receivedAt: string;
  deviceId: string | null;
  reviewState: ReviewState;
  /** what scoring derived when it was stored (issue 5); absent for submissions no indicator reads */
  facts?: SubmissionFacts | null;
}

export type InsertOutcome = 'stored' | 'duplicate' | 'conflict';

export interface SubmissionFilter {
  formId?: string;
  formVersion?: number;
  /** path prefix of an org unit: its whole subtree */
  orgUnitPath?: string;
  /** completedAt in [from, to) */
  completedFrom?: string;
  completedTo?: string;
  /** any of these review states (an empty list matches nothing) */
  reviewStates?: readonly ReviewState[];
}

/** Keyset pagination position: the last row of the previous page in (receivedAt, id) order. */
export interface SubmissionCursor {
  receivedAt: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  next: SubmissionCursor | null;
}

/** Thrown by adapters when a unique constraint fails; the service maps `field` to a stable error code. */
export class UniqueViolation extends Error {
  constructor(readonly field: 'org_unit.code' | 'org_unit_group.code' | 'form.slug' | 'form_version' | 'submission.id' | 'user.username' | 'submission_revision') {
    super(`unique constraint violated: ${field}`);
    this.name = 'UniqueViolation';
  }
}

export interface OrgUnitRepository {
  insert(unit: OrgUnit): Promise<void>;
  get(id: string): Promise<OrgUnit | null>;
  getByCode(code: string): Promise<OrgUnit | null>;
  /** All units whose path starts with `pathPrefix` (the subtree), ordered by path. */
  listSubtree(pathPrefix: string): Promise<OrgUnit[]>;
  listAll(): Promise<OrgUnit[]>;
  countChildren(id: string): Promise<number>;
  rename(id: string, name: LocalizedText, updatedAt: string): Promise<void>;
  /**
   * Move a unit: set its parent and rewrite the path of it and every descendant
   * (`oldPath` prefix → `newPath`), and the `orgUnitPath` of every submission in that subtree
   * (reports follow the current tree, as in DHIS2), atomically.
   */
  move(id: string, newParentId: string, oldPath: string, newPath: string, updatedAt: string): Promise<void>;
  /** Insert or update many units in one transaction (CSV import). */
  upsertMany(units: OrgUnit[]): Promise<void>;
  count(): Promise<number>;
}

export interface OrgUnitGroupRepository {
  insert(group: OrgUnitGroup): Promise<void>;
  get(id: string): Promise<OrgUnitGroup | null>;
  list(): Promise<OrgUnitGroup[]>;
  update(id: string, patch: { name?: LocalizedText; memberIds?: string[] }): Promise<void>;
  /** Groups an org unit belongs to (targets attach to tiers). */
  groupsOf(orgUnitId: string): Promise<OrgUnitGroup[]>;
}

export interface FormRepository {
  insert(form: Form): Promise<void>;
  get(id: string): Promise<Form | null>;
  getBySlug(slug: string): Promise<Form | null>;
  list(filter: { kind?: FormKind; status?: FormStatus }): Promise<Form[]>;
  update(id: string, patch: Partial<Pick<Form, 'title' | 'draft' | 'draftUpdatedAt' | 'status' | 'updatedAt'>>): Promise<void>;
  /**
   * Conditional draft save — optimistic concurrency that holds across server processes sharing
   * one database: apply `patch` only if the stored `draftUpdatedAt` still equals
   * `expectedDraftUpdatedAt` (`null`: the form has no draft), checked and written in ONE atomic
   * statement (SQLite `UPDATE … WHERE id = ? AND draft_updated_at IS ?`, MongoDB
   * `updateOne({ _id, draftUpdatedAt })`). Resolves `true` if it wrote, `false` if nothing was
   * written (the revision moved on, or no such form).
   */
  updateDraftIf(id: string, expectedDraftUpdatedAt: string | null, patch: Partial<Pick<Form, 'title' | 'draft' | 'draftUpdatedAt' | 'updatedAt'>>): Promise<boolean>;
  /**
   * Freeze the draft: insert the version and set latestVersion/status/draft on the form in one
   * transaction. Throws UniqueViolation('form_version') if that version number already exists
   * (two publishers raced); the caller retries or reports.
   * With `draftBase` (the draftUpdatedAt the publisher read the draft at), the patch's `draft` and
   * `draftUpdatedAt` are applied only if the stored draftUpdatedAt still equals it, in the same
   * write: a draft another process saved after the publisher read it is kept as the new draft,
   * not wiped; the rest of the patch (status, latestVersion, updatedAt) is applied either way.
   */
  publish(version: FormVersion, formPatch: Pick<Form, 'status' | 'latestVersion' | 'draft' | 'draftUpdatedAt' | 'updatedAt'>, draftBase?: string | null): Promise<void>;
  getVersion(formId: string, version: number): Promise<FormVersion | null>;
  listVersions(formId: string): Promise<FormVersion[]>;
  count(): Promise<number>;
}

export interface SubmissionRepository {
  /**
   * Store a batch. Per item: a new id is stored; an existing id with the same contentHash is a
   * `duplicate` (nothing written); an existing id with another hash is a `conflict` (nothing written).
   * One transaction for the batch. `rollups[i]`, when given, is applied for item i only if it
   * was `stored` (never for a duplicate or conflict), in the same transaction (SQLite).
   */
  insertMany(items: Submission[], rollups?: readonly (RollupDelta | null | undefined)[]): Promise<InsertOutcome[]>;
  get(id: string): Promise<Submission | null>;
  /** contentHash of each id that is already stored (ids not stored are absent). */
  getHashes(ids: string[]): Promise<Map<string, string>>;
  list(filter: SubmissionFilter, after: SubmissionCursor | null, limit: number): Promise<Page<Submission>>;
  count(filter: SubmissionFilter): Promise<number>;
}


// ---- Access (issue 3): staff, sessions, devices, review, audit, census identity index ----

export interface RoleAssignment {
  role: Role;
  /** the subtree the role holds on; null = the whole system */
  orgUnitId: string | null;
}

export interface User {
  id: string;
  /** lower-case, unique */
  username: string;
  displayName: string;
  /** argon2id PHC string */
  passwordHash: string;
  roles: RoleAssignment[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserRepository {
  /** Throws UniqueViolation('user.username'). */
  insert(user: User): Promise<void>;
  /** Insert only while there is no user at all (first-admin setup); false if one exists. */
  insertFirst(user: User): Promise<boolean>;
  get(id: string): Promise<User | null>;
  getByUsername(username: string): Promise<User | null>;
  list(): Promise<User[]>;
  update(id: string, patch: Partial<Pick<User, 'displayName' | 'passwordHash' | 'roles' | 'disabled' | 'updatedAt'>>): Promise<void>;
  count(): Promise<number>;
}

/** A signed-in browser. Only the sha256 of the random session id is stored. */
export interface Session {
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  /** absolute expiry; the idle expiry is lastSeenAt + the configured idle time */
  expiresAt: string;
}

export interface SessionRepository {
  insert(session: Session): Promise<void>;
  get(idHash: string): Promise<Session | null>;
  touch(idHash: string, lastSeenAt: string): Promise<void>;
  delete(idHash: string): Promise<void>;
  /** Revoke every session of a user (except one, e.g. the one changing its password); returns how many. */
  deleteForUser(userId: string, exceptIdHash?: string): Promise<number>;
  deleteExpired(before: string): Promise<number>;
}

/** Failed sign-ins per (normalised) username — also for usernames that do not exist, so nothing is revealed. */
export interface LoginAttempts {
  username: string;
  failures: number;
  lockedUntil: string | null;
}

export interface LoginAttemptRepository {
  get(username: string): Promise<LoginAttempts | null>;
  /**
   * Count one failure atomically; when the count reaches `maxFailures` the username is locked until
   * `lockUntil` and the count starts again from 0.
   */
  recordFailure(username: string, policy: { maxFailures: number; lockUntil: string }): Promise<LoginAttempts>;
  clear(username: string): Promise<void>;
}

export interface Device {
  id: string;
  label: string;
  orgUnitId: string;
  formIds: string[];
  /** sha256 (hex) of the bearer token */
  tokenHash: string;
  createdAt: string;
  createdBy: string | null;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

export interface Enrolment {
  /** sha256 (hex) of the normalised code */
  codeHash: string;
  orgUnitId: string;
  formIds: string[];
  label: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  deviceId: string | null;
}

export interface DeviceRepository {
  insert(device: Device): Promise<void>;
  get(id: string): Promise<Device | null>;
  getByTokenHash(tokenHash: string): Promise<Device | null>;
  list(): Promise<Device[]>;
  update(id: string, patch: Partial<Pick<Device, 'label' | 'orgUnitId' | 'formIds' | 'lastSeenAt' | 'revokedAt'>>): Promise<void>;
  insertEnrolment(enrolment: Enrolment): Promise<void>;
  /** Atomically mark an unused enrolment that expires after `now` as used by `deviceId`; null when there is none. */
  consumeEnrolment(codeHash: string, now: string, deviceId: string): Promise<Enrolment | null>;
}

export interface AuditEvent {
  id: string;
  at: string;
  type: AuditType;
  actorKind: 'user' | 'device' | 'system' | 'anonymous';
  actorId: string | null;
  actorName: string | null;
  /** the org unit the event concerns (null = system-wide); its path is what subtree filters match */
  orgUnitId: string | null;
  orgUnitPath: string | null;
  targetType: string | null;
  targetId: string | null;
  /** never secrets or clear personal data */
  details: Record<string, unknown>;
}

export interface AuditFilter {
  type?: AuditType;
  actorId?: string;
  /** at in [from, to) */
  from?: string;
  to?: string;
  /** subtree; events without an org unit are excluded when this is set */
  orgUnitPath?: string;
}

/** Newest first: the last row of the previous page in (at, id) descending order. */
export interface AuditCursor {
  at: string;
  id: string;
}

export interface AuditRepository {
  /** Append only: there is no update or delete. */
  append(event: AuditEvent): Promise<void>;
  list(filter: AuditFilter, after: AuditCursor | null, limit: number): Promise<{ items: AuditEvent[]; next: AuditCursor | null }>;
}

export interface ReviewEvent {
  id: string;
  submissionId: string;
  fromState: ReviewState;
  toState: ReviewState;
  comment: string | null;
  byUserId: string;
  byName: string;
  at: string;
}

export interface DiffEntry {
  /** question name, or name[index].inner for dynamic panels */
  path: string;
  before: unknown;
  after: unknown;
}

/** A reviewer's correction: the complete answers after it (sensitive values encrypted) and what changed. */
export interface SubmissionRevision {
  submissionId: string;
  /** 1, 2, …; revision 0 is the submission as received, which is never changed */
  revision: number;
  answers: Record<string, unknown>;
  diff: DiffEntry[];
  comment: string;
  byUserId: string;
  byName: string;
  at: string;
}

export interface ReviewRepository {
  /**
   * Set the submission's review state to `toState` if it is still `fromState`, and append the
   * event, atomically; false (nothing written) when the state had changed meanwhile.
   */
  record(event: ReviewEvent): Promise<boolean>;
  history(submissionId: string): Promise<ReviewEvent[]>;
  /** Throws UniqueViolation('submission_revision') when that revision number exists (two reviewers raced). */
  insertRevision(revision: SubmissionRevision): Promise<void>;
  /** Oldest first. */
  revisions(submissionId: string): Promise<SubmissionRevision[]>;
}

/** Keyed HMAC of a normalised national ID → the submissions that carry it (duplicate finding without decrypting). */
export interface PersonIndexRepository {
  /** Idempotent. */
  add(entries: { blindIndex: string; submissionId: string }[]): Promise<void>;
  find(blindIndex: string): Promise<string[]>;
}

/** The one-time first-start setup token (sha256 only). */
export interface SetupTokenRepository {
  /** Replace any previous token. */
  replace(tokenHash: string, createdAt: string): Promise<void>;
  /** Delete the token if it matches; true when it did. */
  consume(tokenHash: string): Promise<boolean>;
}

/** A token bucket's size and refill rate (requests). */
export interface RateLimitPolicy {
  /** bucket size: how many requests may come at once */
  burst: number;
  /** tokens added per minute */
  perMinute: number;
}

/**
 * Token buckets shared by every server instance on the same database. `take` reads the stored
 * (tokens, updated-at), refills for the time since, and takes one token, all in one atomic write.
 */
export interface RateLimitRepository {
  /**
   * Take one token from `key`'s bucket at `now` (epoch ms). A bucket never seen (or deleted as
   * idle) starts full. When refused, `retryAfterMs` (> 0) is how long until one token is back.
   */
  take(key: string, policy: RateLimitPolicy, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Delete buckets last touched before `before` (epoch ms); the caller picks a time after which every bucket is full again. */
  deleteIdle(before: number): Promise<number>;
}

export interface Storage {
  readonly kind: 'sqlite' | 'mongo';
  orgUnits: OrgUnitRepository;
  orgUnitGroups: OrgUnitGroupRepository;
  forms: FormRepository;
  submissions: SubmissionRepository;
  users: UserRepository;
  sessions: SessionRepository;
  loginAttempts: LoginAttemptRepository;
  devices: DeviceRepository;
  audit: AuditRepository;
  reviews: ReviewRepository;
  personIndex: PersonIndexRepository;
  setupTokens: SetupTokenRepository;
  rateLimits: RateLimitRepository;
  reports: ReportRepository;
  /** Resolves when the database answers; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
