import { z } from 'zod';
import { defineRoute, idParams, type RouteDef } from '../../http/route';
import {
  CreateFormBody, DefinitionProblemSchema, FormSchema, FormVersionSchema, FormVersionSummarySchema, FormWithDraftSchema,
  ListFormsQuery, PublishFormBody,
} from '../../../common/api/forms';
import { SaveDraftBody } from '../../../common/api/designer';
import { formDto, type FormService } from './forms.service';
import type { AuditService } from '../audit/audit.service';
import { requireUser } from '../../auth/require';
import { AppError } from '../../http/errors';

const DESIGNERS = ['admin', 'designer'] as const;
const READERS = ['admin', 'designer', 'reviewer', 'analyst', 'enumerator'] as const;
const WithProblems = FormWithDraftSchema.extend({ problems: z.array(DefinitionProblemSchema) });
const versionParams = z.strictObject({
  formId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  version: z.coerce.number().int().positive().max(1_000_000),
});

/** Forms are global (one county's questionnaires): every staff role reads them, designers and admins change them. */
export function formRoutes(svc: FormService, audit?: AuditService): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/forms', tag: 'forms', summary: 'List forms',
      access: { kind: 'staff', roles: READERS }, query: ListFormsQuery, response: z.array(FormSchema),
      handler: async ({ query }) => (await svc.list(query)).map(formDto),
    }),
    defineRoute({
      method: 'post', path: '/forms', tag: 'forms', summary: 'Create a form with its first draft', status: 201,
      access: { kind: 'staff', roles: DESIGNERS }, body: CreateFormBody, response: WithProblems,
      handler: async ({ body }) => { const f = await svc.create(body); return { ...formDto(f), draft: f.draft, problems: f.problems }; },
    }),
    defineRoute({
      method: 'get', path: '/forms/:formId', tag: 'forms', summary: 'Get a form with the definition to edit and its problems',
      access: { kind: 'staff', roles: READERS }, params: idParams('formId'), response: WithProblems,
      handler: async ({ params }) => { const e = await svc.getForEditing(params.formId); return { ...formDto(e.form), draft: e.definition, problems: e.problems }; },
    }),
    defineRoute({
      method: 'patch', path: '/forms/:formId', tag: 'forms', summary: 'Change the title or save the draft definition',
      access: { kind: 'staff', roles: DESIGNERS }, params: idParams('formId'), body: SaveDraftBody, response: WithProblems,
      handler: async ({ params, body }) => { const f = await svc.update(params.formId, body); return { ...formDto(f), draft: f.draft, problems: f.problems }; },
    }),
    defineRoute({
      method: 'post', path: '/forms/:formId/publish', tag: 'forms', summary: 'Publish the draft as a new immutable version', status: 201,
      access: { kind: 'staff', roles: DESIGNERS }, params: idParams('formId'), body: PublishFormBody, response: FormVersionSummarySchema,
      handler: async ({ params, body, principal }) => {
        const user = requireUser(principal);
        const { definition: _definition, ...summary } = await svc.publish(params.formId, body?.publishedBy ?? user.user.displayName);
        await audit?.record(user, 'form.published', { target: { type: 'form', id: params.formId }, details: { version: summary.version, contentHash: summary.contentHash } });
        return summary;
      },
    }),
    defineRoute({
      method: 'post', path: '/forms/:formId/archive', tag: 'forms', summary: 'Archive a form (it stops accepting submissions)',
      access: { kind: 'staff', roles: DESIGNERS }, params: idParams('formId'), body: z.strictObject({}).optional(), response: FormSchema,
      handler: async ({ params }) => formDto(await svc.archive(params.formId)),
    }),
    defineRoute({
      method: 'post', path: '/forms/:formId/unarchive', tag: 'forms', summary: 'Bring an archived form back',
      access: { kind: 'staff', roles: DESIGNERS }, params: idParams('formId'), body: z.strictObject({}).optional(), response: FormSchema,
      handler: async ({ params }) => formDto(await svc.unarchive(params.formId)),
    }),
    defineRoute({
      method: 'get', path: '/forms/:formId/versions', tag: 'forms', summary: 'List the published versions of a form',
      access: { kind: 'staff', roles: READERS }, params: idParams('formId'), response: z.array(FormVersionSummarySchema),
      handler: async ({ params }) => (await svc.listVersions(params.formId)).map(({ definition: _d, ...v }) => v),
    }),
    defineRoute({
      method: 'get', path: '/forms/:formId/versions/:version', tag: 'forms', summary: 'Get one version with its SurveyJS definition',
      access: { kind: 'staff-or-device', roles: READERS }, params: versionParams, response: FormVersionSchema,
      handler: ({ params, principal }) => {
        // a tablet fetches only the forms assigned to it
        if (principal?.kind === 'device' && !principal.device.formIds.includes(params.formId)) throw new AppError('FORM_NOT_ASSIGNED', { formId: params.formId });
        return svc.getVersion(params.formId, params.version);
      },
    }),
  ];
}
