/**
 * SurveyJS expression → XLSForm expression, for export. Parsed with survey-core's own parser so
 * that whatever the designer wrote is read exactly as SurveyJS reads it; operators and functions
 * outside the XLSForm subset raise an XlsExprError.
 */
import { ArrayOperand, BinaryOperand, ConditionsParser, Const, FunctionOperand, UnaryOperand, Variable } from 'survey-core';
import { type BinOp, LEVEL, needsParens, type QuestionInfo, XlsExprError, xpathString } from './expression';

const XPATH_OP: Record<BinOp, string> = {
  or: 'or', and: 'and', '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '+': '+', '-': '-', '*': '*', div: 'div', mod: 'mod',
};

export interface ReverseContext {
  self?: string;
  lookup: (name: string) => QuestionInfo | undefined;
  repeats: string[];
}

const BIN: Record<string, BinOp> = {
  equal: '=', notequal: '!=', less: '<', lessorequal: '<=', greater: '>', greaterorequal: '>=',
  and: 'and', or: 'or', plus: '+', minus: '-', mul: '*', div: 'div', mod: 'mod',
};
const FROM_AGGREGATE: Record<string, string> = { suminarray: 'sum', maxinarray: 'max', mininarray: 'min' };

const bad = (zh: string, en: string): never => { throw new XlsExprError(zh, en); };

function constText(value: unknown): string {
  if (typeof value === 'string') return xpathString(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true()' : 'false()';
  return bad('无法转换的常量', 'A constant that cannot be converted');
}

interface VarRef { name: string; length: boolean }

function splitVariable(variable: string): VarRef {
  let v = variable;
  const lower = v.toLowerCase();
  if (lower.startsWith('panel.')) v = v.slice('panel.'.length);
  else if (lower.startsWith('parentpanel.')) v = v.slice('parentPanel.'.length);
  let length = false;
  if (v.endsWith('.length')) { length = true; v = v.slice(0, -'.length'.length); }
  if (v.includes('.')) bad(`不支持的变量 {${variable}}`, `Unsupported variable {${variable}}`);
  return { name: v, length };
}

function refText(name: string, ctx: ReverseContext): string {
  if (!ctx.lookup(name)) bad(`引用了不存在的题目 {${name}}`, `Reference to unknown question {${name}}`);
  return ctx.self === name ? '.' : `\${${name}}`;
}

function variableText(op: Variable, ctx: ReverseContext): string {
  const { name, length } = splitVariable(op.variable);
  if (!length) return refText(name, ctx);
  const info = ctx.lookup(name);
  if (!info) return bad(`引用了不存在的题目 {${name}}`, `Reference to unknown question {${name}}`);
  if (info.kind === 'repeat') return `count(\${${name}})`;
  if (info.kind === 'select_multiple') return `count-selected(${refText(name, ctx)})`;
  return `string-length(${refText(name, ctx)})`;
}

function text(op: unknown, ctx: ReverseContext, parentLevel: number, rightSide: boolean): string {
  if (op instanceof Variable) return variableText(op, ctx);
  if (op instanceof Const) return constText(op.correctValue);
  if (typeof op === 'string' || typeof op === 'number' || typeof op === 'boolean') return constText(op);
  if (op instanceof UnaryOperand) {
    if (op.operator === 'negate') return `not(${text(op.expression, ctx, 0, false)})`;
    if (op.operator === 'empty') return `${text(op.expression, ctx, 3, false)} = ''`;
    if (op.operator === 'notempty') return `${text(op.expression, ctx, 3, false)} != ''`;
    return bad(`不支持的运算符 ${op.operator}`, `Unsupported operator ${op.operator}`);
  }
  if (op instanceof BinaryOperand) {
    const name = op.operator;
    if (name === 'contains' || name === 'notcontains') {
      const l = op.leftOperand as unknown;
      const r = op.rightOperand as unknown;
      if (!(l instanceof Variable) || !(r instanceof Const) || r instanceof Variable) {
        return bad('contains 只支持 {题目} contains \'选项\'', "contains is only supported as {question} contains 'choice'");
      }
      const s = `selected(${variableText(l, ctx)}, ${constText(String(r.correctValue))})`;
      return name === 'contains' ? s : `not(${s})`;
    }
    if (name === 'anyof' || name === 'allof') {
      // {q} anyof ['a', 'b'] → selected(${q}, 'a') or selected(${q}, 'b') (for a single choice: ${q} = 'a' or …)
      const l = op.leftOperand as unknown;
      const r = op.rightOperand as unknown;
      if (!(l instanceof Variable) || !(r instanceof ArrayOperand) || r.values.length === 0 || !r.values.every((v) => v instanceof Const && !(v instanceof Variable))) {
        return bad(`${name} 只支持 {题目} ${name} ['选项', …]`, `${name} is only supported as {question} ${name} ['choice', …]`);
      }
      const info = ctx.lookup(splitVariable(l.variable).name);
      const parts = r.values.map((v) => {
        const lit = constText(String((v as Const).correctValue));
        return info?.kind === 'select_one' ? `${variableText(l, ctx)} = ${lit}` : `selected(${variableText(l, ctx)}, ${lit})`;
      });
      const joinLevel = name === 'anyof' ? LEVEL.or : LEVEL.and;
      const s = parts.join(name === 'anyof' ? ' or ' : ' and ');
      return parts.length > 1 && parentLevel > 0 && needsParens(joinLevel, parentLevel, rightSide) ? `(${s})` : s;
    }
    const b = BIN[name];
    if (!b) return bad(`不支持的运算符 ${name}`, `Unsupported operator ${name}`);
    // {panelIndex} + 1 (how imports write position(..)) → position(..)
    const pl: unknown = op.leftOperand;
    const pr: unknown = op.rightOperand;
    if (b === '+' && pl instanceof Variable && pl.variable.toLowerCase() === 'panelindex' && pr instanceof Const && !(pr instanceof Variable) && pr.correctValue === 1) {
      return 'position(..)';
    }
    const lvl = LEVEL[b];
    const s = `${text(op.leftOperand, ctx, lvl, false)} ${XPATH_OP[b]} ${text(op.rightOperand, ctx, lvl, true)}`;
    return parentLevel > 0 && needsParens(lvl, parentLevel, rightSide) ? `(${s})` : s;
  }
  if (op instanceof FunctionOperand) {
    const fn = op.functionName.toLowerCase();
    const params = op.paramValues;
    const args = (): string => params.map((p) => text(p, ctx, 0, false)).join(', ');
    switch (fn) {
      case 'iif': return `if(${args()})`;
      case 'today': return 'today()';
      case 'currentdate': return 'now()';
      case 'trunc': return `int(${args()})`;
      case 'round': return `round(${args()})`;
      case 'suminarray':
      case 'maxinarray':
      case 'mininarray': {
        const field = params[1];
        if (params.length !== 2 || !(params[0] instanceof Variable) || !(field instanceof Const) || field instanceof Variable) {
          return bad(`${op.functionName}() 的参数不受支持`, `Unsupported arguments to ${op.functionName}()`);
        }
        return `${FROM_AGGREGATE[fn] as string}(\${${String(field.correctValue)}})`;
      }
      default:
        return bad(`函数 ${op.functionName}() 在 XLSForm 中没有对应`, `Function ${op.functionName}() has no XLSForm equivalent`);
    }
  }
  if (op instanceof ArrayOperand) return bad('XLSForm 不支持数组常量', 'Array constants are not supported in XLSForm');
  return bad('无法转换的表达式', 'Expression cannot be converted');
}

export function surveyToXlsExpression(expression: string, ctx: ReverseContext): string {
  const parser = new ConditionsParser();
  const op: unknown = parser.parseExpression(expression);
  if (op === null || op === undefined || parser.error) bad(`表达式语法错误:${expression}`, `Expression syntax error: ${expression}`);
  return text(op, ctx, 0, false);
}

