/** Sign-in, sessions, first-start setup and own password changes. */
import { randomUUID } from 'node:crypto';
import type { Storage, User } from '../../storage/port';
import { AppError } from '../../http/errors';
import type { SecurityConfig } from '../../config';
import type { Passwords } from '../../security/passwords';
import type { RateLimiter } from '../../security/rate-limit';
import { randomToken, sha256Hex } from '../../security/tokens';
import type { AuditService } from '../audit/audit.service';
import type { UserPrincipal } from '../../auth/principal';

export interface AuthServiceDeps {
  storage: Storage;
  now: () => Date;
  security: SecurityConfig;
  passwords: Passwords;
  limiter: RateLimiter;
  audit: AuditService;
}

export function userDto(u: User) {
  return { id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, disabled: u.disabled, createdAt: u.createdAt, updatedAt: u.updatedAt };
}

export function makeAuthService(deps: AuthServiceDeps) {
  const { storage, security, passwords, audit } = deps;

  /** The org unit a user's events are filed under (their first scoped assignment), for subtree audit views. */
  async function homeUnit(u: User) {
    const first = u.roles.find((r) => r.orgUnitId !== null);
    return first?.orgUnitId ? storage.orgUnits.get(first.orgUnitId) : null;
  }

  async function startSession(userId: string): Promise<{ token: string; expiresAt: string; maxAgeSeconds: number }> {
    const now = deps.now();
    const token = randomToken();
    const expiresAt = new Date(now.getTime() + security.sessionMaxHours * 3_600_000).toISOString();
    await storage.sessions.insert({ idHash: sha256Hex(token), userId, createdAt: now.toISOString(), lastSeenAt: now.toISOString(), expiresAt });
    // now and then, sweep what has expired (no scheduler needed)
    if (Math.random() < 0.05) await storage.sessions.deleteExpired(now.toISOString());
    return { token, expiresAt, maxAgeSeconds: security.sessionMaxHours * 3600 };
  }

  /**
   * One generic failure for a wrong password, an unknown or disabled user; after
   * `loginMaxFailures` failures in a row the username (existing or not) is locked for a while.
   */
  async function login(username: string, password: string) {
    const wait = await deps.limiter.take(`login:${username}`, security.rateLimits.login);
    if (wait > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds: wait });
    const now = deps.now();
    const attempts = await storage.loginAttempts.get(username);
    if (attempts?.lockedUntil && Date.parse(attempts.lockedUntil) > now.getTime()) {
      const retryAfterSeconds = Math.ceil((Date.parse(attempts.lockedUntil) - now.getTime()) / 1000);
      await audit.record(null, 'auth.login_failed', { actor: { actorKind: 'anonymous', actorId: null, actorName: username }, details: { reason: 'locked' } });
      throw new AppError('LOGIN_LOCKED', { retryAfterSeconds });
    }
    const user = await storage.users.getByUsername(username);
    const ok = user && !user.disabled ? await passwords.verify(user.passwordHash, password) : (await passwords.burn(password), false);
    if (!ok || !user) {
      const lockUntil = new Date(now.getTime() + security.loginLockMinutes * 60_000).toISOString();
      const after = await storage.loginAttempts.recordFailure(username, { maxFailures: security.loginMaxFailures, lockUntil });
      const unit = user ? await homeUnit(user) : null;
      await audit.record(null, 'auth.login_failed', {
        actor: { actorKind: 'anonymous', actorId: user?.id ?? null, actorName: username }, orgUnit: unit,
        details: { reason: 'credentials', locked: after.lockedUntil === lockUntil },
      });
      throw new AppError('LOGIN_FAILED');
    }
    await storage.loginAttempts.clear(username);
    const session = await startSession(user.id);
    await audit.record(null, 'auth.login', { actor: { actorKind: 'user', actorId: user.id, actorName: user.username }, orgUnit: await homeUnit(user) });
    return { user, ...session };
  }

  async function logout(p: UserPrincipal): Promise<void> {
    await storage.sessions.delete(p.sessionIdHash);
    await audit.record(p, 'auth.logout', { orgUnit: await homeUnit(p.user) });
  }

  async function changePassword(p: UserPrincipal, current: string, next: string) {
    if (!(await passwords.verify(p.user.passwordHash, current))) throw new AppError('LOGIN_FAILED');
    await storage.users.update(p.user.id, { passwordHash: await passwords.hash(next), updatedAt: deps.now().toISOString() });
    // every other browser of this user is signed out; this one gets a fresh session
    await storage.sessions.deleteForUser(p.user.id);
    await audit.record(p, 'auth.password_changed', { orgUnit: await homeUnit(p.user), target: { type: 'user', id: p.user.id } });
    return startSession(p.user.id);
  }

  function newAdmin(username: string, displayName: string, passwordHash: string): User {
    const at = deps.now().toISOString();
    return { id: randomUUID(), username, displayName, passwordHash, roles: [{ role: 'admin', orgUnitId: null }], disabled: false, createdAt: at, updatedAt: at };
  }

  /**
   * First start: with no user at all, create the system-wide admin from the environment, or
   * issue a one-time setup token (only its hash is kept; each start issues a fresh one). Returns
   * the token to print, or null.
   */
  async function bootstrap(admin: { username: string; password: string } | null): Promise<{ created: string } | { setupToken: string } | null> {
    if ((await storage.users.count()) > 0) return null;
    if (admin) {
      const user = newAdmin(admin.username, admin.username, await passwords.hash(admin.password));
      if (await storage.users.insertFirst(user)) {
        await audit.record(null, 'user.created', { actor: { actorKind: 'system', actorId: null, actorName: 'CUNWEN_ADMIN_USERNAME' }, target: { type: 'user', id: user.id }, details: { roles: user.roles } });
        return { created: user.username };
      }
      return null;
    }
    const token = randomToken();
    await storage.setupTokens.replace(sha256Hex(token), deps.now().toISOString());
    return { setupToken: token };
  }

  async function setup(input: { token: string; username: string; displayName: string; password: string }) {
    const wait = await deps.limiter.take('setup', security.rateLimits.login);
    if (wait > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds: wait });
    if ((await storage.users.count()) > 0) throw new AppError('SETUP_ALREADY_DONE');
    if (!(await storage.setupTokens.consume(sha256Hex(input.token)))) throw new AppError('SETUP_TOKEN_INVALID');
    const user = newAdmin(input.username, input.displayName, await passwords.hash(input.password));
    if (!(await storage.users.insertFirst(user))) throw new AppError('SETUP_ALREADY_DONE');
    await audit.record(null, 'auth.setup', { actor: { actorKind: 'user', actorId: user.id, actorName: user.username }, target: { type: 'user', id: user.id } });
    return { user, ...(await startSession(user.id)) };
  }

  return { login, logout, changePassword, bootstrap, setup, startSession, homeUnit };
}
export type AuthService = ReturnType<typeof makeAuthService>;
