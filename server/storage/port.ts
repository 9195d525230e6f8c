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
  constructor(readonly field: 'org_unit.code' | 'org_unit_group.code' | 'form.slug' | 'form_version' | 'submission.id') {
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
   * Freeze the draft: insert the version and set latestVersion/status/draft on the form in one
   * transaction. Throws UniqueViolation('form_version') if that version number already exists
   * (two publishers raced); the caller retries or reports.
   */
  publish(version: FormVersion, formPatch: Pick<Form, 'status' | 'latestVersion' | 'draft' | 'draftUpdatedAt' | 'updatedAt'>): Promise<void>;
  getVersion(formId: string, version: number): Promise<FormVersion | null>;
  listVersions(formId: string): Promise<FormVersion[]>;
  count(): Promise<number>;
}

export interface SubmissionRepository {
  /**
   * Store a batch. Per item: a new id is stored; an existing id with the same contentHash is a
   * `duplicate` (nothing written); an existing id with another hash is a `conflict` (nothing written).
   * One transaction for the batch.
   */
  insertMany(items: Submission[]): Promise<InsertOutcome[]>;
  get(id: string): Promise<Submission | null>;
  /** contentHash of each id that is already stored (ids not stored are absent). */
  getHashes(ids: string[]): Promise<Map<string, string>>;
  list(filter: SubmissionFilter, after: SubmissionCursor | null, limit: number): Promise<Page<Submission>>;
  count(filter: SubmissionFilter): Promise<number>;
}

export interface Storage {
  readonly kind: 'sqlite' | 'mongo';
  orgUnits: OrgUnitRepository;
  orgUnitGroups: OrgUnitGroupRepository;
  forms: FormRepository;
  submissions: SubmissionRepository;
  /** Resolves when the database answers; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
