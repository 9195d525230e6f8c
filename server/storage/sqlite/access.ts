/** SQLite repositories for access control, review, audit and the census identity index (issue 3). */
import type { Db } from './database';
import { isUniqueViolation } from './database';
import {
  UniqueViolation,
  type AuditEvent, type AuditFilter, type AuditRepository, type Device, type DeviceRepository, type Enrolment, type LoginAttemptRepository,
  type LoginAttempts, type PersonIndexRepository, type ReviewEvent, type ReviewRepository, type Session, type SessionRepository,
  type SetupTokenRepository, type SubmissionRevision, type User, type UserRepository,
} from '../port';
import type { ReviewState } from '../../../common/api/submissions';
import type { AuditType } from '../../../common/api/access';

interface UserRow { id: string; username: string; display_name: string; password_hash: string; roles_json: string; disabled: number; created_at: string; updated_at: string }
const userFromRow = (r: UserRow): User => ({
  id: r.id, username: r.username, displayName: r.display_name, passwordHash: r.password_hash,
  roles: JSON.parse(r.roles_json) as User['roles'], disabled: r.disabled === 1, createdAt: r.created_at, updatedAt: r.updated_at,
});
const userParams = (u: User) => ({
  id: u.id, username: u.username, display_name: u.displayName, password_hash: u.passwordHash, roles_json: JSON.stringify(u.roles),
  disabled: u.disabled ? 1 : 0, created_at: u.createdAt, updated_at: u.updatedAt,
});

/**
 * UPDATE of the patch's fields that have a column: column names come only from the fixed
 * `columns` map (never from input), values are bound parameters, `encode` turns a domain value
 * into its column value (JSON, 0/1).
 */
function updateColumns(
  db: Db, table: 'users' | 'devices', columns: Record<string, string>, id: string,
  patch: object, encode: (field: string, value: unknown) => unknown,
): void {
  const sets: string[] = [];
  const params: Record<string, unknown> = { id };
  for (const [k, v] of Object.entries(patch)) {
    const col = columns[k];
    if (!col || v === undefined) continue;
    sets.push(`${col} = @${col}`);
    params[col] = encode(k, v);
  }
  if (sets.length) db.prepare(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = @id`).run(params);
}

export function sqliteUsers(db: Db): UserRepository {
  const insert = db.prepare(`INSERT INTO users (id, username, display_name, password_hash, roles_json, disabled, created_at, updated_at)
    VALUES (@id, @username, @display_name, @password_hash, @roles_json, @disabled, @created_at, @updated_at)`);
  const count = db.prepare('SELECT COUNT(*) AS n FROM users');
  const insertFirst = db.transaction((u: User): boolean => {
    if ((count.get() as { n: number }).n > 0) return false;
    insert.run(userParams(u));
    return true;
  });
  const columns: Record<string, string> = { displayName: 'display_name', passwordHash: 'password_hash', roles: 'roles_json', disabled: 'disabled', updatedAt: 'updated_at' };
  return {
    async insert(u) {
      try { insert.run(userParams(u)); } catch (err) { if (isUniqueViolation(err)) throw new UniqueViolation('user.username'); throw err; }
    },
    async insertFirst(u) { return insertFirst.immediate(u); },
    async get(id) { const r = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined; return r ? userFromRow(r) : null; },
    async getByUsername(username) { const r = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined; return r ? userFromRow(r) : null; },
    async list() { return (db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(userFromRow); },
    async update(id, patch) {
      updateColumns(db, 'users', columns, id, patch, (k, v) => (k === 'roles' ? JSON.stringify(v) : k === 'disabled' ? (v ? 1 : 0) : v));
    },
    async count() { return (count.get() as { n: number }).n; },
  };
}

interface SessionRow { id_hash: string; user_id: string; created_at: string; last_seen_at: string; expires_at: string }
export function sqliteSessions(db: Db): SessionRepository {
  const get = db.prepare('SELECT * FROM sessions WHERE id_hash = ?');
  return {
    async insert(s: Session) {
      db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(s.idHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt);
    },
    async get(idHash) {
      const r = get.get(idHash) as SessionRow | undefined;
      return r ? { idHash: r.id_hash, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at } : null;
    },
    async touch(idHash, at) { db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(at, idHash); },
    async delete(idHash) { db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash); },
    async deleteForUser(userId, except) {
      return db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash != ?').run(userId, except ?? '').changes;
    },
    async deleteExpired(before) { return db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(before).changes; },
  };
}

export function sqliteLoginAttempts(db: Db): LoginAttemptRepository {
  const get = db.prepare('SELECT username, failures, locked_until FROM login_attempts WHERE username = ?');
  const read = (username: string): LoginAttempts | null => {
    const r = get.get(username) as { username: string; failures: number; locked_until: string | null } | undefined;
    return r ? { username: r.username, failures: r.failures, lockedUntil: r.locked_until } : null;
  };
  const fail = db.transaction((username: string, maxFailures: number, lockUntil: string): LoginAttempts => {
    const prev = read(username);
    const failures = (prev?.failures ?? 0) + 1;
    const next: LoginAttempts = failures >= maxFailures
      ? { username, failures: 0, lockedUntil: lockUntil }
      : { username, failures, lockedUntil: prev?.lockedUntil ?? null };
    db.prepare(`INSERT INTO login_attempts (username, failures, locked_until) VALUES (@username, @failures, @lockedUntil)
      ON CONFLICT(username) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`).run(next);
    return next;
  });
  return {
    async get(username) { return read(username); },
    async recordFailure(username, policy) { return fail.immediate(username, policy.maxFailures, policy.lockUntil); },
    async clear(username) { db.prepare('DELETE FROM login_attempts WHERE username = ?').run(username); },
  };
}

interface DeviceRow { id: string; label: string; org_unit_id: string; form_ids_json: string; token_hash: string; created_at: string; created_by: string | null; last_seen_at: string | null; revoked_at: string | null }
const deviceFromRow = (r: DeviceRow): Device => ({
  id: r.id, label: r.label, orgUnitId: r.org_unit_id, formIds: JSON.parse(r.form_ids_json) as string[], tokenHash: r.token_hash,
  createdAt: r.created_at, createdBy: r.created_by, lastSeenAt: r.last_seen_at, revokedAt: r.revoked_at,
});
interface EnrolmentRow { code_hash: string; org_unit_id: string; form_ids_json: string; label: string | null; created_by: string; created_at: string; expires_at: string; used_at: string | null; device_id: string | null }
const enrolmentFromRow = (r: EnrolmentRow): Enrolment => ({
  codeHash: r.code_hash, orgUnitId: r.org_unit_id, formIds: JSON.parse(r.form_ids_json) as string[], label: r.label, createdBy: r.created_by,
  createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at, deviceId: r.device_id,
});

export function sqliteDevices(db: Db): DeviceRepository {
  const consume = db.transaction((codeHash: string, now: string, deviceId: string): Enrolment | null => {
    const r = db.prepare('SELECT * FROM enrolments WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?').get(codeHash, now) as EnrolmentRow | undefined;
    if (!r) return null;
    db.prepare('UPDATE enrolments SET used_at = ?, device_id = ? WHERE code_hash = ?').run(now, deviceId, codeHash);
    return { ...enrolmentFromRow(r), usedAt: now, deviceId };
  });
  const columns: Record<string, string> = { label: 'label', orgUnitId: 'org_unit_id', formIds: 'form_ids_json', lastSeenAt: 'last_seen_at', revokedAt: 'revoked_at' };
  return {
    async insert(d) {
      db.prepare(`INSERT INTO devices (id, label, org_unit_id, form_ids_json, token_hash, created_at, created_by, last_seen_at, revoked_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(d.id, d.label, d.orgUnitId, JSON.stringify(d.formIds), d.tokenHash, d.createdAt, d.createdBy, d.lastSeenAt, d.revokedAt);
    },
    async get(id) { const r = db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined; return r ? deviceFromRow(r) : null; },
    async getByTokenHash(h) { const r = db.prepare('SELECT * FROM devices WHERE token_hash = ?').get(h) as DeviceRow | undefined; return r ? deviceFromRow(r) : null; },
    async list() { return (db.prepare('SELECT * FROM devices ORDER BY created_at, id').all() as DeviceRow[]).map(deviceFromRow); },
    async update(id, patch) {
      updateColumns(db, 'devices', columns, id, patch, (k, v) => (k === 'formIds' ? JSON.stringify(v) : v));
    },
    async insertEnrolment(e) {
      db.prepare(`INSERT INTO enrolments (code_hash, org_unit_id, form_ids_json, label, created_by, created_at, expires_at, used_at, device_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(e.codeHash, e.orgUnitId, JSON.stringify(e.formIds), e.label, e.createdBy, e.createdAt, e.expiresAt, e.usedAt, e.deviceId);
    },
    async consumeEnrolment(codeHash, now, deviceId) { return consume.immediate(codeHash, now, deviceId); },
  };
}

interface AuditRow { id: string; at: string; type: string; actor_kind: string; actor_id: string | null; actor_name: string | null; org_unit_id: string | null; org_unit_path: string | null; target_type: string | null; target_id: string | null; details_json: string }
const auditFromRow = (r: AuditRow): AuditEvent => ({
  id: r.id, at: r.at, type: r.type as AuditType, actorKind: r.actor_kind as AuditEvent['actorKind'], actorId: r.actor_id, actorName: r.actor_name,
  orgUnitId: r.org_unit_id, orgUnitPath: r.org_unit_path, targetType: r.target_type, targetId: r.target_id,
  details: JSON.parse(r.details_json) as Record<string, unknown>,
});

export function sqliteAudit(db: Db): AuditRepository {
  const insert = db.prepare(`INSERT INTO audit_events (id, at, type, actor_kind, actor_id, actor_name, org_unit_id, org_unit_path, target_type, target_id, details_json)
    VALUES (@id, @at, @type, @actorKind, @actorId, @actorName, @orgUnitId, @orgUnitPath, @targetType, @targetId, @details)`);
  return {
    async append(e) { insert.run({ ...e, details: JSON.stringify(e.details) }); },
    async list(f: AuditFilter, after, limit) {
      const parts: string[] = [];
      const params: Record<string, unknown> = { limit: limit + 1 };
      if (f.type !== undefined) { parts.push('type = @type'); params.type = f.type; }
      if (f.actorId !== undefined) { parts.push('actor_id = @actorId'); params.actorId = f.actorId; }
      if (f.from !== undefined) { parts.push('at >= @from'); params.from = f.from; }
      if (f.to !== undefined) { parts.push('at < @to'); params.to = f.to; }
      if (f.orgUnitPath !== undefined) {
        parts.push('org_unit_path >= @pathLo AND org_unit_path < @pathHi');
        params.pathLo = f.orgUnitPath;
        params.pathHi = `${f.orgUnitPath}\uffff`;
      }
      if (after) { parts.push('(at < @afterAt OR (at = @afterAt AND id < @afterId))'); params.afterAt = after.at; params.afterId = after.id; }
      const rows = db.prepare(`SELECT * FROM audit_events WHERE ${parts.length ? parts.join(' AND ') : '1 = 1'} ORDER BY at DESC, id DESC LIMIT @limit`).all(params) as AuditRow[];
      const items = rows.slice(0, limit).map(auditFromRow);
      const last = items[items.length - 1];
      return { items, next: rows.length > limit && last ? { at: last.at, id: last.id } : null };
    },
  };
}

interface ReviewRow { id: string; submission_id: string; from_state: string; to_state: string; comment: string | null; by_user_id: string; by_name: string; at: string }
interface RevisionRow { submission_id: string; revision: number; answers_json: string; diff_json: string; comment: string; by_user_id: string; by_name: string; at: string }

export function sqliteReviews(db: Db): ReviewRepository {
  const record = db.transaction((e: ReviewEvent): boolean => {
    // a retry of an event already recorded (same id) is a success, not a conflict
    if (db.prepare('SELECT 1 FROM review_events WHERE id = ?').get(e.id)) return true;
    const changed = db.prepare('UPDATE submissions SET review_state = ? WHERE id = ? AND review_state = ?').run(e.toState, e.submissionId, e.fromState).changes;
    if (changed !== 1) return false;
    db.prepare(`INSERT INTO review_events (id, submission_id, from_state, to_state, comment, by_user_id, by_name, at)
      VALUES (@id, @submissionId, @fromState, @toState, @comment, @byUserId, @byName, @at)`).run(e);
    return true;
  });
  return {
    async record(e) { return record.immediate(e); },
    async history(submissionId) {
      return (db.prepare('SELECT * FROM review_events WHERE submission_id = ? ORDER BY at, id').all(submissionId) as ReviewRow[]).map((r) => ({
        id: r.id, submissionId: r.submission_id, fromState: r.from_state as ReviewState, toState: r.to_state as ReviewState,
        comment: r.comment, byUserId: r.by_user_id, byName: r.by_name, at: r.at,
      }));
    },
    async insertRevision(r: SubmissionRevision) {
      try {
        db.prepare(`INSERT INTO submission_revisions (submission_id, revision, answers_json, diff_json, comment, by_user_id, by_name, at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(r.submissionId, r.revision, JSON.stringify(r.answers), JSON.stringify(r.diff), r.comment, r.byUserId, r.byName, r.at);
      } catch (err) {
        if (isUniqueViolation(err)) throw new UniqueViolation('submission_revision');
        throw err;
      }
    },
    async revisions(submissionId) {
      return (db.prepare('SELECT * FROM submission_revisions WHERE submission_id = ? ORDER BY revision').all(submissionId) as RevisionRow[]).map((r) => ({
        submissionId: r.submission_id, revision: r.revision, answers: JSON.parse(r.answers_json) as Record<string, unknown>,
        diff: JSON.parse(r.diff_json) as SubmissionRevision['diff'], comment: r.comment, byUserId: r.by_user_id, byName: r.by_name, at: r.at,
      }));
    },
  };
}

export function sqlitePersonIndex(db: Db): PersonIndexRepository {
  const insert = db.prepare('INSERT OR IGNORE INTO person_index (blind_index, submission_id) VALUES (?, ?)');
  const addAll = db.transaction((entries: { blindIndex: string; submissionId: string }[]) => { for (const e of entries) insert.run(e.blindIndex, e.submissionId); });
  return {
    async add(entries) { addAll(entries); },
    async find(blindIndex) {
      return (db.prepare('SELECT submission_id FROM person_index WHERE blind_index = ? ORDER BY submission_id').all(blindIndex) as { submission_id: string }[]).map((r) => r.submission_id);
    },
  };
}

export function sqliteSetupTokens(db: Db): SetupTokenRepository {
  const replace = db.transaction((hash: string, at: string) => {
    db.prepare('DELETE FROM setup_tokens').run();
    db.prepare('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)').run(hash, at);
  });
  return {
    async replace(hash, at) { replace(hash, at); },
    async consume(hash) { return db.prepare('DELETE FROM setup_tokens WHERE token_hash = ?').run(hash).changes === 1; },
  };
}
