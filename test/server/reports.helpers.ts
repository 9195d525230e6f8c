/** Helpers for the reports tests: the real templates as published forms, answers with a chosen number correct. */
import { randomUUID } from 'node:crypto';
import { loadTemplate } from '../../form-definitions';
import type { TestApp } from '../support/app';

type Http = TestApp['http'];

export async function publishTemplate(http: Http, slug: 'knowledge-quiz' | 'satisfaction-survey' | 'household-census') {
  const t = loadTemplate(slug)!;
  const c = await http.post('/api/v1/forms').send({ slug, kind: t.kind, title: t.title, definition: t.definition });
  if (c.status !== 201) throw new Error(`form: ${c.status} ${JSON.stringify(c.body)}`);
  const p = await http.post(`/api/v1/forms/${c.body.id}/publish`).send({ publishedBy: 'tester' });
  if (p.status !== 201) throw new Error(`publish: ${p.status} ${JSON.stringify(p.body)}`);
  return { formId: c.body.id as string, version: p.body.version as number, definition: t.definition as Record<string, unknown> };
}

interface El { type: string; name: string; correctAnswer?: unknown; choices?: unknown[] }
const values = (e: El): unknown[] => (e.choices ?? []).map((c) => (typeof c === 'object' && c !== null ? (c as { value: unknown }).value : c));
const elementsOf = (d: Record<string, unknown>) => ((d.pages as { elements: El[] }[]).flatMap((p) => p.elements));

/** Quiz answers with exactly `correct` of the 16 scored questions right (the rest wrong, not "don't know"). */
export function quizAnswers(definition: Record<string, unknown>, correct: number): Record<string, unknown> {
  const out: Record<string, unknown> = { age_band: '25-34', sex: 'female' };
  let i = 0;
  for (const e of elementsOf(definition)) {
    if (e.correctAnswer === undefined) continue;
    const right = i++ < correct;
    if (right) out[e.name] = e.correctAnswer;
    else if (e.type === 'boolean') out[e.name] = !e.correctAnswer;
    else if (e.type === 'checkbox') out[e.name] = [values(e).find((c) => !(e.correctAnswer as unknown[]).includes(c) && c !== 'dontknow')];
    else out[e.name] = values(e).find((c) => c !== e.correctAnswer && c !== 'dontknow');
  }
  return out;
}

/** Satisfaction answers: every dimension rated `rating`, with an optional suggestion. */
export function satisfactionAnswers(rating: number | 'na', suggestion?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { age_band: '35-49', sex: 'male' };
  for (const q of ['s01_attitude', 's02_efficiency', 's03_publicity', 's04_technical', 's05_convenience', 's06_overall']) out[q] = rating;
  if (suggestion) out.suggestion = suggestion;
  return out;
}

export function item(formId: string, version: number, orgUnit: string, answers: Record<string, unknown>, completedAt = '2026-03-10T02:00:00.000Z') {
  const started = new Date(Date.parse(completedAt) - 300_000).toISOString();
  return { id: randomUUID(), formId, formVersion: version, orgUnit, answers, startedAt: started, completedAt };
}

export async function submit(http: Http, items: unknown[]) {
  const r = await http.post('/api/v1/submissions').send({ submissions: items });
  if (r.status !== 200) throw new Error(`submit: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { results: { status: string; code?: string; problems?: unknown }[]; counts: Record<string, number> };
}
