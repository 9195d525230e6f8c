/**
 * The condition builder's model ⇄ SurveyJS expressions (`visibleIf`, `requiredIf`).
 *
 * A condition is a flat list of clauses joined by one connective (all `and` or all `or`); a
 * clause is question + operator + value. `parseCondition` reads an expression back with
 * survey-core's own parser and returns null when the expression is not of that shape (nested
 * and/or mixes, functions, arithmetic, negation): the designer then keeps it as raw text.
 * `checkExpression` validates raw text as you type with survey-core (`ConditionsParser` for the
 * syntax, `validateExpressions()` on a model of the definition for unknown questions/functions).
 */
import { ArrayOperand, BinaryOperand, ConditionsParser, Const, Model, UnaryOperand, Variable, type Operand } from 'survey-core';
import '../forms/survey-properties';
import '../forms/survey-functions';
import type { SurveyDefinition } from '../api/forms';

export const CONDITION_OPERATORS = [
  'equal', 'notequal', 'contains', 'notcontains', 'anyof', 'allof', 'empty', 'notempty', 'greater', 'less', 'greaterorequal', 'lessorequal',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const OPERATOR_LABELS: Record<ConditionOperator, { zh: string; en: string; symbol: string }> = {
  equal: { zh: '等于', en: 'equals', symbol: '=' },
  notequal: { zh: '不等于', en: 'does not equal', symbol: '!=' },
  contains: { zh: '包含', en: 'contains', symbol: 'contains' },
  notcontains: { zh: '不包含', en: 'does not contain', symbol: 'notcontains' },
  anyof: { zh: '是其中之一', en: 'is any of', symbol: 'anyof' },
  allof: { zh: '包含全部', en: 'contains all of', symbol: 'allof' },
  empty: { zh: '未回答', en: 'is empty', symbol: 'empty' },
  notempty: { zh: '已回答', en: 'is answered', symbol: 'notempty' },
  greater: { zh: '大于', en: 'greater than', symbol: '>' },
  less: { zh: '小于', en: 'less than', symbol: '<' },
  greaterorequal: { zh: '大于等于', en: 'at least', symbol: '>=' },
  lessorequal: { zh: '小于等于', en: 'at most', symbol: '<=' },
};

export type ConditionValue = string | number | boolean;

export interface ConditionClause {
  /** question name (or a data path such as `members[0].age`) */
  question: string;
  operator: ConditionOperator;
  /** absent for empty / notempty; an array for anyof / allof */
  value?: ConditionValue | ConditionValue[];
}

export interface ConditionModel {
  connective: 'and' | 'or';
  clauses: ConditionClause[];
}

/** Operators that take no value. */
export function isUnary(op: ConditionOperator): boolean {
  return op === 'empty' || op === 'notempty';
}
/** Operators that take a list of values. */
export function isListOperator(op: ConditionOperator): boolean {
  return op === 'anyof' || op === 'allof';
}

/** Operators that make sense for a question type (numbers compare; lists contain). */
export function operatorsFor(questionType: string, inputType?: string): ConditionOperator[] {
  const multi = ['checkbox', 'tagbox', 'ranking'].includes(questionType);
  const numeric = questionType === 'rating' || (questionType === 'text' && (inputType === 'number' || inputType === 'range' || inputType === 'date'));
  if (multi) return ['contains', 'notcontains', 'anyof', 'allof', 'empty', 'notempty'];
  if (numeric) return ['equal', 'notequal', 'greater', 'less', 'greaterorequal', 'lessorequal', 'empty', 'notempty'];
  if (['radiogroup', 'dropdown', 'imagepicker', 'buttongroup'].includes(questionType)) return ['equal', 'notequal', 'anyof', 'empty', 'notempty'];
  if (questionType === 'boolean') return ['equal', 'notequal', 'empty', 'notempty'];
  return ['equal', 'notequal', 'contains', 'notcontains', 'empty', 'notempty', 'greater', 'less'];
}

/** Sequences survey-core's ConditionsParser.patchExpression replaces anywhere in an expression. */
export const MANGLED_BY_SURVEY_CORE = /=>|=<|<>|equals/;

function literal(v: ConditionValue): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // survey-core's parser has escapes for quotes only; a backslash cannot be written reliably
  if (v.includes('\\')) throw new Error('a value with a backslash cannot be written in a condition');
  // survey-core rewrites these operator spellings everywhere in the text before parsing, inside
  // quoted strings too ('<>' would silently become '!='), so such a value would mean another value
  if (MANGLED_BY_SURVEY_CORE.test(v)) throw new Error(`a value containing =>, =<, <> or "equals" is rewritten by survey-core and cannot be written in a condition`);
  return `'${v.replace(/'/g, "\\'").replace(/"/g, '\\"')}'`;
}

const NAME_OK = /^[^{}]+$/;

/** One clause as a SurveyJS expression. Throws on a clause the builder cannot express. */
export function clauseToExpression(c: ConditionClause): string {
  if (!NAME_OK.test(c.question)) throw new Error(`bad question name: ${c.question}`);
  const q = `{${c.question}}`;
  if (isUnary(c.operator)) return `${q} ${c.operator}`;
  if (isListOperator(c.operator)) {
    const values = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
    return `${q} ${c.operator} [${values.map(literal).join(', ')}]`;
  }
  if (c.value === undefined || Array.isArray(c.value)) throw new Error(`operator ${c.operator} needs one value`);
  return `${q} ${OPERATOR_LABELS[c.operator].symbol} ${literal(c.value)}`;
}

/** The builder's model as a SurveyJS expression ('' for no clauses). */
export function conditionToExpression(model: ConditionModel): string {
  return model.clauses.map(clauseToExpression).join(` ${model.connective} `);
}

function constValue(op: Operand): ConditionValue | undefined {
  if (op instanceof Variable || !(op instanceof Const)) return undefined;
  const v: unknown = op.correctValue;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return undefined;
}

const BINARY: ReadonlySet<string> = new Set(['equal', 'notequal', 'contains', 'notcontains', 'anyof', 'allof', 'greater', 'less', 'greaterorequal', 'lessorequal']);

function toClause(op: Operand): ConditionClause | null {
  if (op instanceof UnaryOperand) {
    const inner = op.expression;
    if ((op.operator === 'empty' || op.operator === 'notempty') && inner instanceof Variable) {
      return { question: inner.variable, operator: op.operator };
    }
    return null;
  }
  if (op instanceof BinaryOperand) {
    const name = op.operator;
    if (!BINARY.has(name)) return null;
    const left = op.leftOperand;
    const right = op.rightOperand;
    if (!(left instanceof Variable)) return null;
    const operator = name as ConditionOperator;
    if (isListOperator(operator)) {
      if (!(right instanceof ArrayOperand)) return null;
      const values: ConditionValue[] = [];
      for (const item of (right as unknown as { values: Operand[] }).values) {
        const v = constValue(item);
        if (v === undefined) return null;
        values.push(v);
      }
      return { question: left.variable, operator, value: values };
    }
    const v = right ? constValue(right) : undefined;
    if (v === undefined) return null;
    return { question: left.variable, operator, value: v };
  }
  return null;
}

function flatten(op: Operand, connective: 'and' | 'or', out: Operand[]): boolean {
  if (op instanceof BinaryOperand && (op.operator === 'and' || op.operator === 'or')) {
    if (op.operator !== connective) return false;
    return flatten(op.leftOperand, connective, out) && flatten(op.rightOperand, connective, out);
  }
  out.push(op);
  return true;
}

/**
 * Reads a simple expression back into the builder's model; null when it is not a flat and/or
 * list of clauses (keep it as raw text then). '' gives an empty model.
 */
export function parseCondition(expression: string): ConditionModel | null {
  const text = expression.trim();
  if (!text) return { connective: 'and', clauses: [] };
  const parser = new ConditionsParser();
  const root = parser.parseExpression(text);
  if (!root) return null;
  const connective: 'and' | 'or' = root instanceof BinaryOperand && root.operator === 'or' ? 'or' : 'and';
  const parts: Operand[] = [];
  if (!flatten(root, connective, parts)) return null;
  const clauses: ConditionClause[] = [];
  for (const p of parts) {
    const c = toClause(p);
    if (!c) return null;
    clauses.push(c);
  }
  return { connective, clauses };
}

export interface ExpressionIssue {
  kind: 'syntax' | 'unknown-question' | 'unknown-function' | 'semantic';
  /** the unknown name, where there is one */
  name?: string;
  zh: string;
  en: string;
}

/**
 * Checks an expression as the designer's user types it: syntax with survey-core's parser; then,
 * when a definition is given, unknown questions and functions with `validateExpressions()` on a
 * model where the expression is set on `target` (a question name; the survey's first question
 * when absent). [] means valid.
 */
export function checkExpression(expression: string, definition?: SurveyDefinition, target?: { question?: string; property?: 'visibleIf' | 'requiredIf' | 'enableIf' | string }): ExpressionIssue[] {
  const text = expression.trim();
  if (!text) return [];
  const parser = new ConditionsParser();
  if (!parser.parseExpression(text)) {
    const at = (parser.error as { at?: number } | undefined)?.at;
    return [{ kind: 'syntax', zh: `表达式语法错误${at !== undefined ? `(第 ${at + 1} 个字符附近)` : ''}`, en: `Syntax error${at !== undefined ? ` near character ${at + 1}` : ''}` }];
  }
  if (!definition) return [];
  // survey-core logs every invalid expression to the console: the designer reports them itself.
  const silence = console.warn;
  console.warn = () => undefined;
  let model: Model | null = null;
  try {
    model = new Model(definition);
    const property = target?.property ?? 'visibleIf';
    const q = target?.question ? model.getQuestionByName(target.question) : model.getAllQuestions(false, true, true)[0];
    const holder: { [k: string]: unknown } | undefined = q ? (q as unknown as { [k: string]: unknown }) : undefined;
    if (!holder) return [];
    holder[property] = text;
    const issues: ExpressionIssue[] = [];
    const results = model.validateExpressions();
    for (const r of results) {
      if ((r.obj as unknown) !== q || r.propertyName !== property) continue;
      for (const e of r.errors) {
        const err = e as { errorType: number; variableName?: string; functionName?: string };
        if (err.errorType === 2) issues.push({ kind: 'unknown-question', name: err.variableName ?? '', zh: `找不到题目 {${err.variableName ?? ''}}`, en: `Unknown question {${err.variableName ?? ''}}` });
        else if (err.errorType === 1) issues.push({ kind: 'unknown-function', name: err.functionName ?? '', zh: `未知函数 ${err.functionName ?? ''}()`, en: `Unknown function ${err.functionName ?? ''}()` });
        else if (err.errorType === 0) issues.push({ kind: 'syntax', zh: '表达式语法错误', en: 'Syntax error' });
        else issues.push({ kind: 'semantic', zh: '表达式结果恒定或无意义', en: 'The expression always gives the same result' });
      }
    }
    return issues;
  } finally {
    model?.dispose();
    console.warn = silence;
  }
}
