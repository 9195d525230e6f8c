import { z } from 'zod';
import { defineRoute, idParams, type RouteDef } from '../../http/route';
import { CreateUserBody, ResetPasswordBody, UpdateUserBody, UserSchema } from '../../../common/api/access';
import { requireUser } from '../../auth/require';
import { userDto } from '../auth/auth.service';
import type { UserService } from './users.service';

const ADMINS = ['admin'] as const;

export function userRoutes(svc: UserService): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/users', tag: 'users', summary: 'Users holding a role in the caller\'s admin subtree',
      access: { kind: 'staff', roles: ADMINS }, response: z.array(UserSchema),
      handler: async ({ principal }) => (await svc.list(requireUser(principal))).map(userDto),
    }),
    defineRoute({
      method: 'post', path: '/users', tag: 'users', summary: 'Create a user with role assignments inside the caller\'s subtree', status: 201,
      access: { kind: 'staff', roles: ADMINS }, body: CreateUserBody, response: UserSchema,
      handler: async ({ principal, body }) => userDto(await svc.create(requireUser(principal), body)),
    }),
    defineRoute({
      method: 'get', path: '/users/:id', tag: 'users', summary: 'Get a user',
      access: { kind: 'staff', roles: ADMINS }, params: idParams('id'), response: UserSchema,
      handler: async ({ principal, params }) => userDto(await svc.get(requireUser(principal), params.id)),
    }),
    defineRoute({
      method: 'patch', path: '/users/:id', tag: 'users', summary: 'Rename, change roles, disable (disabling signs the user out everywhere)',
      access: { kind: 'staff', roles: ADMINS }, params: idParams('id'), body: UpdateUserBody, response: UserSchema,
      handler: async ({ principal, params, body }) => userDto(await svc.update(requireUser(principal), params.id, body)),
    }),
    defineRoute({
      method: 'post', path: '/users/:id/password', tag: 'users', summary: 'Set a new password (signs the user out everywhere)',
      access: { kind: 'staff', roles: ADMINS }, params: idParams('id'), body: ResetPasswordBody, response: z.object({ ok: z.literal(true) }),
      handler: async ({ principal, params, body }) => { await svc.resetPassword(requireUser(principal), params.id, body.password); return { ok: true as const }; },
    }),
    defineRoute({
      method: 'post', path: '/users/:id/sessions/revoke', tag: 'users', summary: 'Sign a user out of every session',
      access: { kind: 'staff', roles: ADMINS }, params: idParams('id'), body: z.strictObject({}).optional(), response: z.object({ revoked: z.number() }),
      handler: async ({ principal, params }) => ({ revoked: await svc.revokeSessions(requireUser(principal), params.id) }),
    }),
  ];
}
