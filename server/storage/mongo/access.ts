/** Staff users, sessions, login throttling, devices/enrolments and the setup token on MongoDB. */
import mongoose from 'mongoose';
import type {
  Device, DeviceRepository, Enrolment, LoginAttemptRepository, LoginAttempts, Session, SessionRepository,
  SetupTokenRepository, User, UserRepository,
} from '../port';
import { duplicateKeyPattern, rethrowUnique } from './errors';
import type { AccessModels, DeviceDoc, EnrolmentDoc, LoginAttemptDoc, SessionDoc, UserDoc } from './access-models';

const USER_KEYS = { username: 'user.username', _id: 'user.username' } as const;

const toUser = (d: UserDoc): User => ({
  id: d._id, username: d.username, displayName: d.displayName, passwordHash: d.passwordHash,
  roles: (d.roles ?? []).map((r) => ({ role: r.role, orgUnitId: r.orgUnitId ?? null })),
  disabled: d.disabled, createdAt: d.createdAt, updatedAt: d.updatedAt,
});
const fromUser = (u: User): UserDoc => ({
  _id: u.id, username: u.username, displayName: u.displayName, passwordHash: u.passwordHash,
  roles: u.roles.map((r) => ({ role: r.role, orgUnitId: r.orgUnitId })), disabled: u.disabled, createdAt: u.createdAt, updatedAt: u.updatedAt,
});

/** Only the defined keys of a patch, for $set (undefined means "leave as is"). */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function makeUserRepository(m: AccessModels): UserRepository {
  const users = m.users;
  return {
    async insert(u) {
      try {
        await users.create([fromUser(u)]);
      } catch (err) {
        rethrowUnique(err, USER_KEYS);
      }
    },
    /**
     * One write decides: the user carries `firstUser: true`, and a unique partial index admits a
     * single such document, so two racing set-ups cannot both win (no transaction needed).
     */
    async insertFirst(u) {
      if ((await users.countDocuments({})) > 0) return false;
      try {
        await users.create([{ ...fromUser(u), firstUser: true }]);
        return true;
      } catch (err) {
        const pattern = duplicateKeyPattern(err);
        if (pattern && 'firstUser' in pattern) return false;
        return rethrowUnique(err, USER_KEYS);
      }
    },
    async get(id) {
      const d = await users.findById(id).lean<UserDoc>();
      return d ? toUser(d) : null;
    },
    async getByUsername(username) {
      const d = await users.findOne({ username }).lean<UserDoc>();
      return d ? toUser(d) : null;
    },
    async list() {
      return (await users.find({}).sort({ username: 1 }).lean<UserDoc[]>()).map(toUser);
    },
    async update(id, patch) {
      const $set = defined(patch);
      if (Object.keys($set).length === 0) return;
      await users.updateOne({ _id: id }, { $set });
    },
    async count() {
      return users.countDocuments({});
    },
  };
}

const toSession = (d: SessionDoc): Session => ({ idHash: d._id, userId: d.userId, createdAt: d.createdAt, lastSeenAt: d.lastSeenAt, expiresAt: d.expiresAt });

export function makeSessionRepository(m: AccessModels): SessionRepository {
  const sessions = m.sessions;
  return {
    async insert(s) {
      await sessions.create([{ _id: s.idHash, userId: s.userId, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt }]);
    },
    async get(idHash) {
      const d = await sessions.findById(idHash).lean<SessionDoc>();
      return d ? toSession(d) : null;
    },
    async touch(idHash, lastSeenAt) {
      await sessions.updateOne({ _id: idHash }, { $set: { lastSeenAt } });
    },
    async delete(idHash) {
      await sessions.deleteOne({ _id: idHash });
    },
    async deleteForUser(userId, exceptIdHash) {
      const r = await sessions.deleteMany({ userId, _id: mongoose.trusted({ $ne: exceptIdHash ?? '' }) });
      return r.deletedCount;
    },
    async deleteExpired(before) {
      const r = await sessions.deleteMany({ expiresAt: mongoose.trusted({ $lte: before }) });
      return r.deletedCount;
    },
  };
}

export function makeLoginAttemptRepository(m: AccessModels): LoginAttemptRepository {
  const attempts = m.loginAttempts;
  const toAttempts = (d: LoginAttemptDoc): LoginAttempts => ({ username: d._id, failures: d.failures, lockedUntil: d.lockedUntil ?? null });
  return {
    async get(username) {
      const d = await attempts.findById(username).lean<LoginAttemptDoc>();
      return d ? toAttempts(d) : null;
    },
    /** One pipeline upsert: increment, and on reaching the limit lock and restart the count — atomic on one document. */
    async recordFailure(username, policy) {
      const d = await attempts.findOneAndUpdate(
        { _id: username },
        [
          { $set: { failures: { $add: [{ $ifNull: ['$failures', 0] }, 1] }, lockedUntil: { $ifNull: ['$lockedUntil', null] } } },
          {
            $set: {
              lockedUntil: { $cond: [{ $gte: ['$failures', policy.maxFailures] }, { $literal: policy.lockUntil }, '$lockedUntil'] },
              failures: { $cond: [{ $gte: ['$failures', policy.maxFailures] }, 0, '$failures'] },
            },
          },
        ],
        { upsert: true, new: true, updatePipeline: true },
      ).lean<LoginAttemptDoc>();
      if (!d) throw new Error('login attempt upsert returned nothing');
      return toAttempts(d);
    },
    async clear(username) {
      await attempts.deleteOne({ _id: username });
    },
  };
}

const toDevice = (d: DeviceDoc): Device => ({
  id: d._id, label: d.label, orgUnitId: d.orgUnitId, formIds: [...(d.formIds ?? [])], tokenHash: d.tokenHash,
  createdAt: d.createdAt, createdBy: d.createdBy ?? null, lastSeenAt: d.lastSeenAt ?? null, revokedAt: d.revokedAt ?? null,
});
const toEnrolment = (d: EnrolmentDoc): Enrolment => ({
  codeHash: d._id, orgUnitId: d.orgUnitId, formIds: [...(d.formIds ?? [])], label: d.label ?? null, createdBy: d.createdBy,
  createdAt: d.createdAt, expiresAt: d.expiresAt, usedAt: d.usedAt ?? null, deviceId: d.deviceId ?? null,
});

export function makeDeviceRepository(m: AccessModels): DeviceRepository {
  const devices = m.devices;
  const enrolments = m.enrolments;
  return {
    async insert(d) {
      const { id, ...rest } = d;
      await devices.create([{ _id: id, ...rest, formIds: [...d.formIds] }]);
    },
    async get(id) {
      const d = await devices.findById(id).lean<DeviceDoc>();
      return d ? toDevice(d) : null;
    },
    async getByTokenHash(tokenHash) {
      const d = await devices.findOne({ tokenHash }).lean<DeviceDoc>();
      return d ? toDevice(d) : null;
    },
    async list() {
      return (await devices.find({}).sort({ createdAt: 1, _id: 1 }).lean<DeviceDoc[]>()).map(toDevice);
    },
    async update(id, patch) {
      const $set = defined(patch);
      if (Object.keys($set).length === 0) return;
      await devices.updateOne({ _id: id }, { $set });
    },
    async insertEnrolment(e) {
      const { codeHash, ...rest } = e;
      await enrolments.create([{ _id: codeHash, ...rest, formIds: [...e.formIds] }]);
    },
    /** A conditional findOneAndUpdate: only one device can consume a code. */
    async consumeEnrolment(codeHash, now, deviceId) {
      const d = await enrolments.findOneAndUpdate(
        { _id: codeHash, usedAt: null, expiresAt: mongoose.trusted({ $gt: now }) },
        { $set: { usedAt: now, deviceId } },
        { new: true },
      ).lean<EnrolmentDoc>();
      return d ? toEnrolment(d) : null;
    },
  };
}

export function makeSetupTokenRepository(m: AccessModels): SetupTokenRepository {
  const tokens = m.setupTokens;
  return {
    /** New token first, then the others go: a crash in between leaves an extra token until the next replace. */
    async replace(tokenHash, createdAt) {
      await tokens.updateOne({ _id: tokenHash }, { $set: { createdAt } }, { upsert: true });
      await tokens.deleteMany({ _id: mongoose.trusted({ $ne: tokenHash }) });
    },
    async consume(tokenHash) {
      return (await tokens.deleteOne({ _id: tokenHash })).deletedCount === 1;
    },
  };
}
