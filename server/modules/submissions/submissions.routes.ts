import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route';
import {
  ListSubmissionsQuery, SubmissionSchema, SubmitBatchBody, SubmitBatchResponse, SUBMISSION_OUTCOMES, type SubmissionOutcome,
} from '../../../common/api/submissions';
import type { SubmissionService } from './submissions.service';

const COLLECTORS = ['admin', 'enumerator'] as const;
const READERS = ['admin', 'reviewer', 'analyst'] as const;

export function submissionRoutes(svc: SubmissionService): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/submissions', tag: 'submissions',
      summary: 'Submit a batch; each item is checked on its own and answered stored / duplicate / conflict / rejected',
      access: { kind: 'staff-or-device', roles: COLLECTORS }, body: SubmitBatchBody, response: SubmitBatchResponse,
      handler: async ({ body }) => {
        const results = await svc.submitBatch(body.submissions, { deviceId: null });
        const counts = Object.fromEntries(SUBMISSION_OUTCOMES.map((o) => [o, 0])) as Record<SubmissionOutcome, number>;
        for (const r of results) counts[r.status]++;
        return { results, counts };
      },
    }),
    defineRoute({
      method: 'get', path: '/submissions', tag: 'submissions', summary: 'List submissions (filter by form, version, org unit subtree, period; cursor pagination)',
      access: { kind: 'staff', roles: READERS }, query: ListSubmissionsQuery,
      response: z.object({ items: z.array(SubmissionSchema), nextCursor: z.string().nullable() }),
      handler: async ({ query }) => {
        const page = await svc.list(query);
        return { items: page.items.map(({ orgUnitPath: _p, contentHash: _h, ...s }) => s), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'get', path: '/submissions/:id', tag: 'submissions', summary: 'Get one submission',
      access: { kind: 'staff', roles: READERS }, params: z.strictObject({ id: z.uuid() }), response: SubmissionSchema,
      handler: async ({ params }) => { const { orgUnitPath: _p, contentHash: _h, ...s } = await svc.get(params.id); return s; },
    }),
  ];
}
