/** Org units and forms for the browser tests, created through the server's own API. */
import type { TestServer } from './server';

/** Quiz used by the kiosk tests: one page, two scored questions and a free-text note. */
export const E2E_QUIZ = {
  locale: 'zh-cn',
  pages: [{
    name: 'p1',
    elements: [
      { type: 'radiogroup', name: 'q1', title: '女性法定婚龄是多少岁?', isRequired: true, choices: ['18', '20', '22'], correctAnswer: '20' },
      { type: 'radiogroup', name: 'q2', title: '叶酸可以预防出生缺陷', isRequired: true, choices: [{ value: 'yes', text: '对' }, { value: 'no', text: '错' }], correctAnswer: 'yes' },
      { type: 'comment', name: 'note', title: '您的建议', scored: false },
    ],
  }],
};

export function censusDefinition(extra = false) {
  return {
    locale: 'zh-cn',
    pages: [{
      name: 'household',
      elements: [
        { type: 'text', name: 'household_code', title: '户编码', isRequired: true },
        { type: 'text', name: 'head_name', title: '户主姓名' },
        ...(extra ? [{ type: 'text', name: 'phone', title: '联系电话' }] : []),
        {
          type: 'paneldynamic', name: 'members', title: '家庭成员', panelCount: 1,
          templateElements: [{ type: 'text', name: 'member_name', title: '姓名' }],
        },
      ],
    }],
  };
}

export interface Seeded {
  villageId: string;
  quiz: { formId: string; slug: string; version: number };
  census: { formId: string; slug: string; version: number };
}

async function ok<T>(p: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function seed(server: TestServer): Promise<Seeded> {
  const mk = (code: string, level: string, parentId: string | null) =>
    ok(server.api<{ id: string }>('POST', '/api/v1/org-units', { code, name: { zh: `${code}村`, en: code }, level, parentId }), `org unit ${code}`);
  const county = await mk('C1', 'county', null);
  const township = await mk('T1', 'township', county.id);
  const village = await mk('V1', 'village', township.id);
  const quiz = await createPublished(server, 'quiz', 'knowledge', E2E_QUIZ);
  const census = await createPublished(server, 'census', 'census', censusDefinition());
  return { villageId: village.id, quiz, census };
}

export async function createPublished(server: TestServer, slug: string, kind: string, definition: object) {
  const form = await ok(server.api<{ id: string }>('POST', '/api/v1/forms', { slug, kind, title: { zh: `${slug} 问卷`, en: slug }, definition }), `form ${slug}`);
  const v = await ok(server.api<{ version: number }>('POST', `/api/v1/forms/${form.id}/publish`, { publishedBy: 'e2e' }), `publish ${slug}`);
  return { formId: form.id, slug, version: v.version };
}

export async function republish(server: TestServer, formId: string, definition: object): Promise<number> {
  await ok(server.api('PATCH', `/api/v1/forms/${formId}`, { definition }), 'update draft');
  const v = await ok(server.api<{ version: number }>('POST', `/api/v1/forms/${formId}/publish`, { publishedBy: 'e2e' }), 'republish');
  return v.version;
}

export interface StoredSubmission {
  id: string;
  orgUnitId: string;
  formId: string;
  formVersion: number;
  answers: Record<string, unknown>;
}

/** Every submission of a form (all pages of the staff list). */
export async function listSubmissions(server: TestServer, formId: string): Promise<StoredSubmission[]> {
  const all: StoredSubmission[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: StoredSubmission[]; nextCursor: string | null } = await ok(
      server.api('GET', `/api/v1/submissions?formId=${formId}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      'list submissions',
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** A one-time enrolment code for a tablet of the village with these forms (staff API). */
export async function enrolmentCode(server: TestServer, orgUnitId: string, formIds: string[]): Promise<string> {
  const r = await ok(server.api<{ code: string }>('POST', '/api/v1/devices/enrolments', { orgUnitId, formIds }), 'enrolment code');
  return r.code;
}
