/**
 * The validator editor's pure part: a question's `validators` array (SurveyJS JSON:
 * `{ type: 'numeric', minValue, maxValue, text }`, `{ type: 'text', minLength, maxLength }`,
 * `{ type: 'regex', regex }`, `{ type: 'expression', expression }`, `{ type: 'answercount',
 * minCount, maxCount }`, each with an optional localizable `text`) read and edited without
 * losing properties the friendly editor does not show.
 */
export const VALIDATOR_KINDS = ['numeric', 'text', 'regex', 'expression', 'answercount'] as const;
export type ValidatorKind = (typeof VALIDATOR_KINDS)[number];
export type ValidatorJson = Record<string, unknown> & { type: string };

/** the numeric / length / count fields of each kind, in display order */
export const VALIDATOR_FIELDS: Record<ValidatorKind, readonly string[]> = {
  numeric: ['minValue', 'maxValue'],
  text: ['minLength', 'maxLength'],
  regex: ['regex'],
  expression: ['expression'],
  answercount: ['minCount', 'maxCount'],
};

export function isValidatorKind(type: string): type is ValidatorKind {
  return (VALIDATOR_KINDS as readonly string[]).includes(type);
}

/** The validators of a question as objects (entries that are not objects with a type are dropped from the view only). */
export function readValidators(value: unknown): ValidatorJson[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v): ValidatorJson[] => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
    const o = v as Record<string, unknown>;
    // survey-core accepts the class name too ("numericvalidator")
    const type = typeof o.type === 'string' ? o.type.toLowerCase().replace(/validator$/, '') : '';
    return type ? [{ ...o, type }] : [];
  });
}

/** What the definition stores: the array, or undefined (property removed) when empty. */
export function writeValidators(list: readonly ValidatorJson[]): ValidatorJson[] | undefined {
  return list.length ? list.map((v) => ({ ...v })) : undefined;
}

/** The kinds that fit a question: numbers for numeric inputs, lengths and patterns for text, counts for multi-select. */
export function validatorKindsFor(question: { type?: unknown; inputType?: unknown }): ValidatorKind[] {
  const type = String(question.type ?? '');
  const inputType = String(question.inputType ?? 'text');
  if (type === 'checkbox' || type === 'tagbox' || type === 'ranking' || type === 'imagepicker') return ['answercount', 'expression'];
  if (type === 'text' && (inputType === 'number' || inputType === 'range')) return ['numeric', 'expression'];
  if (type === 'text') return ['text', 'regex', 'numeric', 'expression'];
  if (type === 'comment') return ['text', 'regex', 'expression'];
  if (type === 'rating' || type === 'slider') return ['numeric', 'expression'];
  if (type === 'matrixdynamic' || type === 'paneldynamic') return ['answercount', 'expression'];
  return ['expression'];
}

export function addValidator(list: readonly ValidatorJson[], kind: ValidatorKind): ValidatorJson[] {
  return [...list, { type: kind }];
}

export function removeValidator(list: readonly ValidatorJson[], index: number): ValidatorJson[] {
  return list.filter((_, i) => i !== index);
}

/** Set (or, with undefined / '' remove) one property of the validator at `index`. */
export function setValidatorField(list: readonly ValidatorJson[], index: number, field: string, value: unknown): ValidatorJson[] {
  return list.map((v, i) => {
    if (i !== index) return v;
    const { [field]: _old, ...rest } = v;
    return value === undefined || value === '' ? { ...rest, type: v.type } : { ...rest, type: v.type, [field]: value };
  });
}

/** A number field's text → the stored value (undefined when empty or not a number). */
export function parseNumberField(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export type RegexTest = { ok: true; match: boolean } | { ok: false; error: string };

/** Does `input` match `pattern` the way survey-core's regex validator tests it (`new RegExp(regex).test(value)`)? */
export function testRegex(pattern: string, input: string): RegexTest {
  try {
    return { ok: true, match: new RegExp(pattern).test(input) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Problems the friendly editor shows next to a validator (min above max, bad pattern). */
export function validatorProblems(v: ValidatorJson): Array<'MIN_ABOVE_MAX' | 'BAD_REGEX' | 'EMPTY'> {
  const out: Array<'MIN_ABOVE_MAX' | 'BAD_REGEX' | 'EMPTY'> = [];
  if (!isValidatorKind(v.type)) return out;
  const [lo, hi] = v.type === 'regex' || v.type === 'expression' ? [] : VALIDATOR_FIELDS[v.type];
  if (lo && hi && typeof v[lo] === 'number' && typeof v[hi] === 'number' && (v[lo] as number) > (v[hi] as number)) out.push('MIN_ABOVE_MAX');
  if (v.type === 'regex' && typeof v.regex === 'string' && !testRegex(v.regex, '').ok) out.push('BAD_REGEX');
  if (VALIDATOR_FIELDS[v.type].every((f) => v[f] === undefined || v[f] === '')) out.push('EMPTY');
  return out;
}
