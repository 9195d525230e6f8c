/**
 * Synthetic but valid answers for the built-in templates, deterministic from a seed, so benchmarks
 * and the demo exercise the real validation path.
 */
export type Rng = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** A UUID v4 from the generator (not crypto: test data only). */
export function uuid(r: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface Choice { value: unknown }
interface Element {
  type: string; name: string; choices?: (string | Choice)[]; correctAnswer?: unknown; scored?: boolean;
}

function choiceValues(e: Element): unknown[] {
  return (e.choices ?? []).map((c) => (typeof c === 'object' && c !== null ? (c as Choice).value : c));
}

function elements(definition: Record<string, unknown>): Element[] {
  const pages = (definition.pages as { elements?: Element[] }[] | undefined) ?? [];
  return pages.flatMap((p) => p.elements ?? []).concat((definition.elements as Element[] | undefined) ?? []);
}

/**
 * Quiz answers: each scored question answered correctly with probability `skill`, otherwise a
 * random other choice (or "don't know"); the profile questions get a random choice.
 */
export function quizAnswers(definition: Record<string, unknown>, r: Rng, skill = 0.85): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of elements(definition)) {
    if (e.type === 'boolean') {
      const correct = e.correctAnswer === true;
      out[e.name] = r() < skill ? correct : !correct;
    } else if (e.type === 'radiogroup') {
      const values = choiceValues(e);
      out[e.name] = e.correctAnswer !== undefined && r() < skill ? e.correctAnswer : pick(r, values);
    } else if (e.type === 'checkbox') {
      const values = choiceValues(e);
      if (Array.isArray(e.correctAnswer) && r() < skill) out[e.name] = e.correctAnswer;
      else out[e.name] = [pick(r, values.filter((v) => v !== 'dontknow' && v !== 'none'))];
    }
  }
  return out;
}

/** Satisfaction answers: ratings 1–5 leaning to `mean`, sometimes "not applicable". */
export function satisfactionAnswers(definition: Record<string, unknown>, r: Rng, mean = 4.3): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of elements(definition)) {
    if (e.type !== 'radiogroup') continue;
    const values = choiceValues(e);
    if (values.includes(5) || values.includes('5')) {
      if (r() < 0.05 && values.some((v) => v === 'na')) { out[e.name] = 'na'; continue; }
      const x = Math.max(1, Math.min(5, Math.round(mean + (r() + r() + r() - 1.5) * 1.6)));
      out[e.name] = values.includes(x) ? x : String(x);
    } else {
      out[e.name] = pick(r, values);
    }
  }
  return out;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A national ID number with a valid ISO 7064 MOD 11-2 check character. */
export function nationalId(r: Rng, birth: string, area = '110101'): string {
  const body = `${area}${birth.replace(/-/g, '')}${String(Math.floor(r() * 1000)).padStart(3, '0')}`;
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * (ID_WEIGHTS[i] as number), 0);
  return body + ID_CHECK[sum % 11];
}

function birthDate(r: Rng, minAge: number, maxAge: number): string {
  const year = 2026 - minAge - Math.floor(r() * (maxAge - minAge));
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A household with 2–6 members: head, spouse, children; only visible questions are answered. */
export function censusAnswers(r: Rng): Record<string, unknown> {
  const n = 2 + Math.floor(r() * 5);
  const members: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const sex = i === 0 ? 'male' : i === 1 ? 'female' : pick(r, ['male', 'female']);
    const birth = i < 2 ? birthDate(r, 56, 70) : birthDate(r, 1, 14);
    const m: Record<string, unknown> = {
      name: `${pick(r, ['张', '王', '李', '赵', '刘'])}${pick(r, ['伟', '芳', '娜', '强', '敏', '静'])}`,
      relationship: i === 0 ? 'head' : i === 1 ? 'spouse' : 'child',
      sex, birth_date: birth, national_id: nationalId(r, birth),
      marital_status: i < 2 ? 'married' : 'single',
      population_type: 'registered',
    };
    members.push(m);
  }
  const code = Array.from({ length: 18 }, () => Math.floor(r() * 10)).join('');
  return {
    household_code: code, address: `示例村${Math.floor(r() * 200)}号`, head_name: members[0]?.name,
    registration_type: 'agricultural', phone: `13${Math.floor(100000000 + r() * 899999999)}`, members,
  };
}
