/**
 * Enforces each route's declared access rule before its body is even parsed: resolves the caller
 * (session cookie or device bearer token), checks CSRF on cookie-authenticated writes, checks that
 * a staff user holds one of the route's roles somewhere (handlers then scope to the org unit the
 * request concerns), and applies the per-user / per-device rate limits (shared by every instance through the storage port).
 */
import type { Request, Response } from 'express';
import { AppError } from '../http/errors';
import type { AccessRule } from '../http/route';
import type { Storage } from '../storage/port';
import { parseBearer, safeEqual, sha256Hex } from '../security/tokens';
import type { RateLimiter } from '../security/rate-limit';
import type { SecurityConfig } from '../config';
import type { DevicePrincipal, Principal, Scope, UserPrincipal } from './principal';

export const SESSION_COOKIE = 'cw_session';
export const CSRF_COOKIE = 'cw_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The CSRF token of a session: derived from the (secret) session id, so it needs no storage and no one else can compute it. */
export function csrfFor(sessionToken: string): string {
  return sha256Hex(`cunwen-csrf\0${sessionToken}`).slice(0, 43);
}

/** Minimal cookie header parsing (names we set are plain; values base64url). */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface GuardDeps {
  storage: Storage;
  now: () => Date;
  security: SecurityConfig;
  limiter: RateLimiter;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function makeGuard(deps: GuardDeps) {
  const { storage, security, limiter } = deps;

  async function limit(key: string, kind: 'user' | 'device'): Promise<void> {
    const policy = kind === 'user' ? security.rateLimits.user : security.rateLimits.device;
    const wait = await limiter.take(`${kind}:${key}`, policy);
    if (wait > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds: wait });
  }

  async function device(req: Request): Promise<DevicePrincipal | null> {
    const token = parseBearer(req.headers.authorization);
    if (token === null) return null;
    if (token === 'malformed') throw new AppError('DEVICE_UNAUTHORIZED');
    const d = await storage.devices.getByTokenHash(sha256Hex(token));
    if (!d) throw new AppError('DEVICE_UNAUTHORIZED');
    if (d.revokedAt) throw new AppError('DEVICE_REVOKED');
    const orgUnit = await storage.orgUnits.get(d.orgUnitId);
    if (!orgUnit) throw new AppError('DEVICE_UNAUTHORIZED');
    await limit(d.id, 'device');
    const now = deps.now();
    if (!d.lastSeenAt || now.getTime() - Date.parse(d.lastSeenAt) > 5 * 60_000) {
      await storage.devices.update(d.id, { lastSeenAt: now.toISOString() });
    }
    return { kind: 'device', device: d, orgUnit };
  }

  /** The signed-in user of this request, or null (no cookie). Throws for an expired/unknown session. */
  async function user(req: Request, res: Response | null): Promise<UserPrincipal | null> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) return null;
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new AppError('UNAUTHENTICATED');
    const idHash = sha256Hex(token);
    const session = await storage.sessions.get(idHash);
    if (!session) throw new AppError('UNAUTHENTICATED');
    const now = deps.now();
    const idleLimit = Date.parse(session.lastSeenAt) + security.sessionIdleMinutes * 60_000;
    if (now.getTime() >= Date.parse(session.expiresAt) || now.getTime() >= idleLimit) {
      await storage.sessions.delete(idHash);
      if (res) clearAuthCookies(res);
      throw new AppError('SESSION_EXPIRED');
    }
    const u = await storage.users.get(session.userId);
    if (!u || u.disabled) {
      await storage.sessions.delete(idHash);
      throw new AppError('UNAUTHENTICATED');
    }
    const scopes: Scope[] = [];
    for (const r of u.roles) {
      if (r.orgUnitId === null) { scopes.push({ role: r.role, orgUnitId: null, path: '/' }); continue; }
      const unit = await storage.orgUnits.get(r.orgUnitId);
      if (unit) scopes.push({ role: r.role, orgUnitId: unit.id, path: unit.path }); // a deleted unit grants nothing
    }
    if (now.getTime() - Date.parse(session.lastSeenAt) > 60_000) await storage.sessions.touch(idHash, now.toISOString());
    return { kind: 'user', user: u, scopes, sessionIdHash: idHash, csrfToken: csrfFor(token), expiresAt: session.expiresAt };
  }

  async function staffChecks(req: Request, p: UserPrincipal, roles: readonly string[]): Promise<void> {
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers[CSRF_HEADER];
      if (typeof header !== 'string' || !safeEqual(header, p.csrfToken)) throw new AppError('CSRF_FAILED');
    }
    if (!p.scopes.some((s) => roles.includes(s.role))) throw new AppError('FORBIDDEN', { requires: roles });
    await limit(p.user.id, 'user');
  }

  return {
    user,
    async check(rule: AccessRule, req: Request, res: Response): Promise<Principal | null> {
      switch (rule.kind) {
        case 'public':
          return null;
        case 'device': {
          const d = await device(req);
          if (!d) throw new AppError('DEVICE_UNAUTHORIZED');
          return d;
        }
        case 'staff-or-device': {
          const d = await device(req);
          if (d) return d;
          const u = await user(req, res);
          if (!u) throw new AppError('UNAUTHENTICATED');
          await staffChecks(req, u, rule.roles);
          return u;
        }
        case 'staff': {
          // a tablet's credential never opens a staff route (devices cannot read submissions)
          if (req.headers.authorization && !readCookie(req, SESSION_COOKIE)) {
            await device(req);
            throw new AppError('FORBIDDEN', { requires: rule.roles });
          }
          const u = await user(req, res);
          if (!u) throw new AppError('UNAUTHENTICATED');
          await staffChecks(req, u, rule.roles);
          return u;
        }
      }
    },
  };
}
export type Guard = ReturnType<typeof makeGuard>;

export function clearAuthCookies(res: Response): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
  res.append('Set-Cookie', `${CSRF_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0`);
}

export function setAuthCookies(req: Request, res: Response, token: string, maxAgeSeconds: number, secure: 'auto' | boolean): void {
  const s = secure === 'auto' ? req.secure : secure;
  const common = `Path=/; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}${s ? '; Secure' : ''}`;
  res.append('Set-Cookie', `${SESSION_COOKIE}=${token}; HttpOnly; ${common}`);
  res.append('Set-Cookie', `${CSRF_COOKIE}=${csrfFor(token)}; ${common}`);
}
