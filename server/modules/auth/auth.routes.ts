import { z } from 'zod';
import { defineRoute, RESPONDED, type RouteDef } from '../../http/route';
import { ChangePasswordBody, LoginBody, MeSchema, SetupBody } from '../../../common/api/access';
import { userDto, type AuthService } from './auth.service';
import { clearAuthCookies, csrfFor, setAuthCookies } from '../../auth/guard';
import { requireUser } from '../../auth/require';
import type { SecurityConfig } from '../../config';
import { ROLES } from '../../../common/api/access';

const ANY_STAFF = ROLES;

export function authRoutes(svc: AuthService, security: SecurityConfig): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/auth/login', tag: 'auth', summary: 'Sign in: sets the httpOnly session cookie and the CSRF cookie',
      access: { kind: 'public', why: 'signing in is how a caller gets credentials' }, body: LoginBody, response: MeSchema,
      handler: async ({ body, req, res }) => {
        const s = await svc.login(body.username, body.password);
        setAuthCookies(req, res, s.token, s.maxAgeSeconds, security.cookieSecure);
        return { user: userDto(s.user), csrfToken: csrfFor(s.token), expiresAt: s.expiresAt };
      },
    }),
    defineRoute({
      method: 'post', path: '/auth/logout', tag: 'auth', summary: 'Sign out: revokes this session',
      access: { kind: 'staff', roles: ANY_STAFF }, body: z.strictObject({}).optional(), status: 204,
      handler: async ({ principal, res }) => {
        await svc.logout(requireUser(principal));
        clearAuthCookies(res);
        res.status(204).end();
        return RESPONDED;
      },
    }),
    defineRoute({
      method: 'get', path: '/auth/me', tag: 'auth', summary: 'The signed-in user, the CSRF token for writes and the session expiry',
      access: { kind: 'staff', roles: ANY_STAFF }, response: MeSchema,
      handler: async ({ principal }) => {
        const p = requireUser(principal);
        return { user: userDto(p.user), csrfToken: p.csrfToken, expiresAt: p.expiresAt };
      },
    }),
    defineRoute({
      method: 'post', path: '/auth/password', tag: 'auth', summary: 'Change one\'s own password (signs out every other session)',
      access: { kind: 'staff', roles: ANY_STAFF }, body: ChangePasswordBody, response: MeSchema,
      handler: async ({ principal, body, req, res }) => {
        const p = requireUser(principal);
        const s = await svc.changePassword(p, body.currentPassword, body.newPassword);
        setAuthCookies(req, res, s.token, s.maxAgeSeconds, security.cookieSecure);
        return { user: userDto(p.user), csrfToken: csrfFor(s.token), expiresAt: s.expiresAt };
      },
    }),
    defineRoute({
      method: 'post', path: '/auth/setup', tag: 'auth', summary: 'First start: create the first admin with the one-time setup token printed by the server',
      access: { kind: 'public', why: 'there is no user yet; the one-time token printed at start is the credential' }, body: SetupBody, response: MeSchema, status: 201,
      handler: async ({ body, req, res }) => {
        const s = await svc.setup(body);
        setAuthCookies(req, res, s.token, s.maxAgeSeconds, security.cookieSecure);
        return { user: userDto(s.user), csrfToken: csrfFor(s.token), expiresAt: s.expiresAt };
      },
    }),
  ];
}
