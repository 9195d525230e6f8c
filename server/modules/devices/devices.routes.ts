import { z } from 'zod';
import { defineRoute, idParams, type RouteDef } from '../../http/route';
import { CreateEnrolmentBody, DeviceConfigSchema, EnrolBody, EnrolmentSchema, EnrolResponse } from '../../../common/api/devices';
import { DeviceSchema, UpdateDeviceBody } from '../../../common/api/access';
import { requireDevice, requireUser } from '../../auth/require';
import { DEVICE_MANAGERS, deviceDto, type DeviceService } from './devices.service';

export function deviceRoutes(svc: DeviceService): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/devices/enrolments', tag: 'devices', summary: 'Issue a one-time enrolment code (24 h) for a tablet of an org unit', status: 201,
      access: { kind: 'staff', roles: DEVICE_MANAGERS }, body: CreateEnrolmentBody, response: EnrolmentSchema,
      handler: ({ principal, body }) => svc.createEnrolment(requireUser(principal), body),
    }),
    defineRoute({
      method: 'post', path: '/devices/enrol', tag: 'devices', summary: 'A tablet exchanges an enrolment code for its device credential', status: 201,
      access: { kind: 'public', why: 'the one-time enrolment code is the credential (rate-limited)' }, body: EnrolBody, response: EnrolResponse,
      handler: ({ body }) => svc.enrol(body.code, body.deviceLabel),
    }),
    defineRoute({
      method: 'get', path: '/device/config', tag: 'devices', summary: 'The calling tablet\'s org unit, respondent org-unit choices and assigned forms',
      access: { kind: 'device' }, response: DeviceConfigSchema,
      handler: ({ principal }) => svc.config(requireDevice(principal)),
    }),
    defineRoute({
      method: 'get', path: '/devices', tag: 'devices', summary: 'Tablets enrolled in the caller\'s subtree',
      access: { kind: 'staff', roles: DEVICE_MANAGERS }, response: z.array(DeviceSchema),
      handler: async ({ principal }) => (await svc.list(requireUser(principal))).map(deviceDto),
    }),
    defineRoute({
      method: 'patch', path: '/devices/:id', tag: 'devices', summary: 'Rename a tablet, re-assign it to another org unit or other forms',
      access: { kind: 'staff', roles: DEVICE_MANAGERS }, params: idParams('id'), body: UpdateDeviceBody, response: DeviceSchema,
      handler: async ({ principal, params, body }) => deviceDto(await svc.update(requireUser(principal), params.id, body)),
    }),
    defineRoute({
      method: 'post', path: '/devices/:id/revoke', tag: 'devices', summary: 'Revoke a tablet: its next request gets 401 DEVICE_REVOKED',
      access: { kind: 'staff', roles: DEVICE_MANAGERS }, params: idParams('id'), body: z.strictObject({}).optional(), response: DeviceSchema,
      handler: async ({ principal, params }) => deviceDto(await svc.revoke(requireUser(principal), params.id)),
    }),
  ];
}
