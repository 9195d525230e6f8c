import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route';
import {
  ListSubmissionsQuery, SubmissionSchema, SubmitBatchBody, SubmitBatchResponse, SUBMISSION_OUTCOMES, type SubmissionOutcome,
} from '../../../common/api/submissions';
import { ReviewBody, ReviseBody, ReviewEventSchema, RevisionSchema } from '../../../common/api/access';
import type { SubmissionService } from './submissions.service';
import type { ReviewService } from '../review/review.service';
import { REVIEWERS, SUBMISSION_READERS } from '../review/review.service';
import { requireUser } from '../../auth/require';
import { scopePaths } from '../../auth/principal';
import { AppError } from '../../http/errors';

const COLLECTORS = ['admin', 'enumerator'] as const;
const idParam = z.strictObject({ id: z.uuid() });
const RevealQuery = z.strictObject({ reveal: z.enum(['true', 'false']).optional().transform((v) => v === 'true') });
/** What staff see of a submission: current answers (after corrections), masked unless revealed. */
const SubmissionViewSchema = SubmissionSchema.extend({ revision: z.number().int(), masked: z.boolean() });

export function submissionRoutes(svc: SubmissionService, review: ReviewService): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/submissions', tag: 'submissions',
      summary: 'Submit a batch; each item is checked on its own and answered stored / duplicate / conflict / rejected',
      access: { kind: 'staff-or-device', roles: COLLECTORS }, body: SubmitBatchBody, response: SubmitBatchResponse,
      handler: async ({ body, principal }) => {
        if (!principal) throw new AppError('UNAUTHENTICATED');
        // a tablet submits only its assigned forms inside its org unit; staff only inside their collecting subtrees
        const ctx = principal.kind === 'device'
          ? { deviceId: principal.device.id, orgUnitScope: principal.orgUnit.path, formIds: principal.device.formIds }
          : { deviceId: null, orgUnitScope: scopePaths(principal, COLLECTORS) };
        const results = await svc.submitBatch(body.submissions, ctx);
        const counts = Object.fromEntries(SUBMISSION_OUTCOMES.map((o) => [o, 0])) as Record<SubmissionOutcome, number>;
        for (const r of results) counts[r.status]++;
        return { results, counts };
      },
    }),
    defineRoute({
      method: 'get', path: '/submissions', tag: 'submissions', summary: 'List submissions in the caller\'s subtree (filter by form, version, org unit, period; cursor pagination); personal data masked',
      access: { kind: 'staff', roles: SUBMISSION_READERS }, query: ListSubmissionsQuery,
      response: z.object({ items: z.array(SubmissionViewSchema), nextCursor: z.string().nullable() }),
      handler: ({ query, principal }) => review.list(requireUser(principal), query),
    }),
    defineRoute({
      method: 'get', path: '/submissions/:id', tag: 'submissions', summary: 'Get one submission (?reveal=true: clear personal data, reviewers only, audited)',
      access: { kind: 'staff', roles: SUBMISSION_READERS }, params: idParam, query: RevealQuery, response: SubmissionViewSchema,
      handler: ({ params, query, principal }) => review.getOne(requireUser(principal), params.id, query.reveal),
    }),
    defineRoute({
      method: 'post', path: '/submissions/:id/review', tag: 'review', summary: 'Record a review decision (has_issues / approved / rejected) with a comment', status: 201,
      access: { kind: 'staff', roles: REVIEWERS }, params: idParam, body: ReviewBody, response: ReviewEventSchema,
      handler: ({ params, body, principal }) => review.review(requireUser(principal), params.id, body),
    }),
    defineRoute({
      method: 'get', path: '/submissions/:id/review', tag: 'review', summary: 'The review history of a submission, oldest first',
      access: { kind: 'staff', roles: SUBMISSION_READERS }, params: idParam, response: z.array(ReviewEventSchema),
      handler: ({ params, principal }) => review.history(requireUser(principal), params.id),
    }),
    defineRoute({
      method: 'post', path: '/submissions/:id/revisions', tag: 'review', summary: 'Correct answers of a census submission as a new revision (the original is kept)', status: 201,
      access: { kind: 'staff', roles: REVIEWERS }, params: idParam, body: ReviseBody, response: RevisionSchema,
      handler: ({ params, body, principal }) => review.revise(requireUser(principal), params.id, body),
    }),
    defineRoute({
      method: 'get', path: '/submissions/:id/revisions', tag: 'review', summary: 'The corrections of a submission with their diffs (?reveal=true for reviewers, audited)',
      access: { kind: 'staff', roles: SUBMISSION_READERS }, params: idParam, query: RevealQuery, response: z.array(RevisionSchema),
      handler: ({ params, query, principal }) => review.revisions(requireUser(principal), params.id, query.reveal),
    }),
    defineRoute({
      method: 'post', path: '/census/people/search', tag: 'review', summary: 'Find census submissions carrying a national ID (by its keyed blind index; audited)',
      access: { kind: 'staff', roles: REVIEWERS }, body: z.strictObject({ nationalId: z.string().trim().min(15).max(18) }),
      response: z.object({ submissionIds: z.array(z.string()) }),
      handler: async ({ body, principal }) => ({ submissionIds: await review.findPerson(requireUser(principal), body.nationalId) }),
    }),
  ];
}
