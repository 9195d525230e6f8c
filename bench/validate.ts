/**
 * npx tsx bench/validate.ts [--n 4000]
 *
 * Per-submission cost of answer validation: the survey-core reference validator (one reused model)
 * against the compiled validator, on the knowledge-quiz template (18 questions: 16 quiz items plus
 * age band and sex) and, for scale, the household-census roster. Answers are synthetic: ~90 %
 * valid, the rest with one wrong answer. Single thread; figures are medians of 5 rounds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileAnswerValidator } from '../common/forms/compiled-validator';
import { createReferenceValidator } from '../common/forms/reference-validator';
import type { AnswerValidator } from '../common/forms/answer-validator';

type Def = Record<string, unknown>;
type El = Record<string, unknown>;

function loadDefinition(file: string): Def {
  const raw = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'form-definitions', file), 'utf8')) as Def;
  return (raw['definition'] ?? raw) as Def;
}

let seed = 42;
function random(): number {
  // mulberry32: reproducible runs
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick<T>(list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function choiceValues(q: El): unknown[] {
  return (Array.isArray(q['choices']) ? (q['choices'] as unknown[]) : []).map((c) =>
    c && typeof c === 'object' ? (c as El)['value'] : typeof c === 'string' ? c.split('|')[0] : c);
}

function quizAnswers(questions: El[]): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const q of questions) {
    const type = q['type'];
    if (type === 'radiogroup') answers[String(q['name'])] = pick(choiceValues(q));
    else if (type === 'boolean') answers[String(q['name'])] = random() < 0.5;
    else if (type === 'checkbox') {
      const values = choiceValues(q).filter(() => random() < 0.4);
      answers[String(q['name'])] = values.length > 0 ? values : [choiceValues(q)[0]];
    }
  }
  if (random() < 0.1) {
    const q = pick(questions);
    answers[String(q['name'])] = pick(['not-a-choice', 7, 'true', ['x']]);
  }
  return answers;
}

function censusAnswers(): Record<string, unknown> {
  const members = [];
  const n = 1 + Math.floor(random() * 5);
  for (let i = 0; i < n; i++) {
    members.push({
      name: `成员${i}`, relationship: i === 0 ? 'head' : 'child', sex: pick(['male', 'female']), birth_date: '1990-05-01',
      marital_status: 'single', population_type: 'resident',
    });
  }
  return {
    household_code: '110101199003074578', address: '某某村 1 组', head_name: '张三', registration_type: pick(['agricultural', 'non_agricultural']),
    members,
  };
}

function medianMs(v: AnswerValidator, sets: Array<Record<string, unknown>>, rounds = 5): { perSubmissionMs: number; rejected: number } {
  let rejected = 0;
  for (const a of sets.slice(0, Math.min(200, sets.length))) v.validate(a); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    rejected = 0;
    const t0 = process.hrtime.bigint();
    for (const a of sets) if (v.validate(a).length > 0) rejected++;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6 / sets.length);
  }
  times.sort((a, b) => a - b);
  return { perSubmissionMs: times[Math.floor(times.length / 2)] ?? NaN, rejected };
}

function run(label: string, def: Def, sets: Array<Record<string, unknown>>, referenceSets: number): void {
  const t0 = process.hrtime.bigint();
  const compiled = compileAnswerValidator(def);
  const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const t1 = process.hrtime.bigint();
  const reference = createReferenceValidator(def);
  const modelMs = Number(process.hrtime.bigint() - t1) / 1e6;
  const ref = medianMs(reference, sets.slice(0, referenceSets), 3);
  const comp = medianMs(compiled, sets);
  console.log(`\n${label} (${sets.length} submissions, compiled engine: ${compiled.engine}${compiled.fallback ? `, fallback: ${compiled.fallback.feature}` : ''})`);
  console.log(`  build: compile ${compileMs.toFixed(2)} ms, survey-core model ${modelMs.toFixed(2)} ms`);
  console.log(`  reference (survey-core): ${(ref.perSubmissionMs * 1000).toFixed(1)} µs/submission  (${Math.round(1000 / ref.perSubmissionMs)}/s per core)`);
  console.log(`  compiled:                ${(comp.perSubmissionMs * 1000).toFixed(1)} µs/submission  (${Math.round(1000 / comp.perSubmissionMs)}/s per core)`);
  console.log(`  speed-up: ×${(ref.perSubmissionMs / comp.perSubmissionMs).toFixed(0)}; rejected: compiled ${comp.rejected}/${sets.length}, reference ${ref.rejected}/${Math.min(referenceSets, sets.length)}`);
  reference.dispose();
  compiled.dispose();
}

const nArg = process.argv.indexOf('--n');
const N = nArg > -1 ? Number(process.argv[nArg + 1]) : 4000;

const quiz = loadDefinition('knowledge-quiz.json');
const quizQuestions = (quiz['pages'] as El[]).flatMap((p) => (p['elements'] as El[]) ?? []);
run(`knowledge quiz (${quizQuestions.length} questions)`, quiz, Array.from({ length: N }, () => quizAnswers(quizQuestions)), Math.min(N, 1000));

if (fs.existsSync(path.join(__dirname, '..', 'form-definitions', 'household-census.json'))) {
  run('household census (roster of 1–5 members)', loadDefinition('household-census.json'), Array.from({ length: Math.min(N, 2000) }, censusAnswers), 300);
}
