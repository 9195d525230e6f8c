/**
 * XLSForm (XPath subset) expressions: tokenizer, recursive-descent parser and translation to
 * SurveyJS expressions. Everything outside the supported subset raises an XlsExprError whose
 * message the caller reports as a problem; nothing is silently dropped.
 */

export class XlsExprError extends Error {
  constructor(readonly zh: string, readonly en: string) {
    super(en);
  }
}

// ---------------------------------------------------------------- tokens

type Tok =
  | { t: 'ref'; v: string; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'num'; v: number; at: number }
  | { t: 'name'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'self'; at: number }
  | { t: 'parent'; at: number }
  | { t: 'end'; at: number };

const NAME_START = /[A-Za-z_\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_.:\-\u00C0-\uFFFF]/;

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '$' && src[i + 1] === '{') {
      const close = src.indexOf('}', i + 2);
      if (close < 0) throw new XlsExprError(`缺少 "}"(位置 ${i + 1})`, `Missing "}" (at ${i + 1})`);
      const name = src.slice(i + 2, close).trim();
      if (!/^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00C0-\uFFFF]*$/.test(name)) {
        throw new XlsExprError(`变量名无效:\${${name}}`, `Invalid variable name: \${${name}}`);
      }
      out.push({ t: 'ref', v: name, at: i });
      i = close + 1;
      continue;
    }
    if (c === "'" || c === '"' || c === '‘' || c === '’' || c === '“' || c === '”') {
      const closeChars = c === "'" || c === '"' ? [c] : c === '‘' || c === '’' ? ['’', '‘'] : ['”', '“'];
      let j = i + 1;
      while (j < src.length && !closeChars.includes(src[j] as string)) j++;
      if (j >= src.length) throw new XlsExprError(`字符串没有结束引号(位置 ${i + 1})`, `Unterminated string (at ${i + 1})`);
      out.push({ t: 'str', v: src.slice(i + 1, j), at: i });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|^[0-9]+\.?/.exec(src.slice(i));
      const raw = m ? m[0] : c;
      out.push({ t: 'num', v: Number(raw), at: i });
      i += raw.length;
      continue;
    }
    if (c === '.') {
      if (src[i + 1] === '.') { out.push({ t: 'parent', at: i }); i += 2; continue; }
      out.push({ t: 'self', at: i });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') { out.push({ t: 'op', v: two, at: i }); i += 2; continue; }
    if ('=<>+-*(),|/[]'.includes(c)) { out.push({ t: 'op', v: c, at: i }); i++; continue; }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_CHAR.test(src[j] as string)) j++;
      // A trailing "-" belongs to a following minus, not to the name.
      while (j > i + 1 && src[j - 1] === '-') j--;
      out.push({ t: 'name', v: src.slice(i, j), at: i });
      i = j;
      continue;
    }
    throw new XlsExprError(`无法识别的字符 "${c}"(位置 ${i + 1})`, `Unexpected character "${c}" (at ${i + 1})`);
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

// ---------------------------------------------------------------- AST and parser

export type BinOp = 'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | 'div' | 'mod';

export type XExpr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'ref'; name: string }
  | { k: 'self' }
  | { k: 'col'; name: string }
  | { k: 'call'; fn: string; args: XExpr[] }
  | { k: 'bin'; op: BinOp; l: XExpr; r: XExpr }
  | { k: 'neg'; e: XExpr };

export function parseXls(src: string): XExpr {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok => toks[p] as Tok;
  const next = (): Tok => toks[p++] as Tok;
  const isOp = (v: string): boolean => { const t = peek(); return t.t === 'op' && t.v === v; };
  const isWord = (v: string): boolean => { const t = peek(); return t.t === 'name' && t.v === v; };
  const fail = (t: Tok): never => {
    const what = t.t === 'end' ? '表达式意外结束' : `位置 ${t.at + 1} 处语法错误`;
    const whatEn = t.t === 'end' ? 'Unexpected end of expression' : `Syntax error at ${t.at + 1}`;
    throw new XlsExprError(what, whatEn);
  };

  const binLevel = (ops: string[], words: string[], sub: () => XExpr) => (): XExpr => {
    let l = sub();
    for (;;) {
      const t = peek();
      let op: string | undefined;
      if (t.t === 'op' && ops.includes(t.v)) op = t.v;
      else if (t.t === 'name' && words.includes(t.v)) op = t.v;
      if (!op) return l;
      next();
      const r = sub();
      l = { k: 'bin', op: op as BinOp, l, r };
    }
  };

  const primary = (): XExpr => {
    const t = next();
    switch (t.t) {
      case 'num': return { k: 'num', v: t.v };
      case 'str': return { k: 'str', v: t.v };
      case 'ref': return { k: 'ref', name: t.v };
      case 'self': return { k: 'self' };
      case 'parent':
        throw new XlsExprError('不支持相对路径 ".."', 'Relative paths ("..") are not supported');
      case 'op':
        if (t.v === '(') {
          const e = orExpr();
          if (!isOp(')')) fail(peek());
          next();
          return e;
        }
        if (t.v === '/') throw new XlsExprError('不支持绝对路径,请用 ${名称}', 'Absolute paths are not supported; use ${name}');
        return fail(t);
      case 'name': {
        if (isOp('(')) {
          next();
          // position(..): the 1-based index of the current repeat instance.
          if (t.v === 'position' && peek().t === 'parent') {
            next();
            if (!isOp(')')) fail(peek());
            next();
            return { k: 'call', fn: 'position', args: [] };
          }
          const args: XExpr[] = [];
          if (!isOp(')')) {
            for (;;) {
              args.push(orExpr());
              if (isOp(',')) { next(); continue; }
              break;
            }
          }
          if (!isOp(')')) fail(peek());
          next();
          return { k: 'call', fn: t.v, args };
        }
        return { k: 'col', name: t.v };
      }
      default:
        return fail(t);
    }
  };
  const unary = (): XExpr => {
    if (isOp('-')) {
      next();
      const e = unary();
      if (e.k === 'num') return { k: 'num', v: -e.v };
      return { k: 'neg', e };
    }
    const e = primary();
    if (isOp('[') || isOp('|') || isOp('/')) {
      throw new XlsExprError('不支持 XPath 路径、谓词或并集', 'XPath paths, predicates and unions are not supported');
    }
    return e;
  };
  const mul = binLevel(['*'], ['div', 'mod'], unary);
  const add = binLevel(['+', '-'], [], mul);
  const rel = binLevel(['<', '<=', '>', '>='], [], add);
  const eq = binLevel(['=', '!='], [], rel);
  const andExpr = binLevel([], ['and'], eq);
  function orExpr(): XExpr { return binLevel([], ['or'], andExpr)(); }

  if (peek().t === 'end') throw new XlsExprError('表达式为空', 'Empty expression');
  const e = orExpr();
  if (peek().t !== 'end') fail(peek());
  return e;
}

// ---------------------------------------------------------------- translation to SurveyJS

export type QuestionKind = 'select_one' | 'select_multiple' | 'repeat' | 'group' | 'calculate' | 'other';

export interface QuestionInfo {
  name: string;
  kind: QuestionKind;
  /** Names of the enclosing repeats, outermost first (a repeat's own chain excludes itself). */
  repeats: string[];
}

export interface TranslateContext {
  /** The question the expression belongs to (`.` refers to it). */
  self?: string;
  lookup: (name: string) => QuestionInfo | undefined;
  /** Enclosing repeats of the element the expression belongs to, outermost first. */
  repeats: string[];
  /** For choice_filter: the choice row whose columns bare names refer to. */
  choiceRow?: Record<string, string>;
}

/** Precedence levels shared by the printer of both directions. */
export const LEVEL: Record<BinOp, number> = {
  or: 1, and: 2, '=': 3, '!=': 3, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, div: 6, mod: 6,
};
const SJS_OP: Record<BinOp, string> = {
  or: 'or', and: 'and', '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '+': '+', '-': '-', '*': '*', div: '/', mod: '%',
};

/** Does a child at `child` level need parentheses under an operator at `parent` level? */
export function needsParens(child: number, parent: number, rightSide: boolean): boolean {
  if (child < parent) return true;
  if (child === parent && rightSide) return true;
  if (child >= 3 && child <= 4 && parent >= 3 && parent <= 4) return true;
  return false;
}

export function sjsString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function sjsNumber(n: number): string {
  if (!Number.isFinite(n)) throw new XlsExprError('数字无效', 'Invalid number');
  return String(n);
}

const bad = (zh: string, en: string): never => { throw new XlsExprError(zh, en); };

/** The SurveyJS variable for `name` seen from the context, with an optional `.length` suffix. */
function renderRef(name: string, ctx: TranslateContext, suffix = ''): string {
  const info = ctx.lookup(name);
  if (!info) return bad(`引用了不存在的题目 \${${name}}`, `Reference to unknown question \${${name}}`);
  if (info.kind === 'group') return bad(`\${${name}} 是分组,没有值`, `\${${name}} is a group and has no value`);
  const qc = info.repeats;
  const cc = ctx.repeats;
  name = info.name;
  if (qc.length === 0) return `{${name}${suffix}}`;
  const isPrefix = qc.every((r, i) => cc[i] === r);
  if (!isPrefix) {
    return bad(
      `在重复组 ${qc[qc.length - 1]} 之外引用了其中的题目 \${${name}}(可用 sum()/count())`,
      `\${${name}} is inside repeat ${qc[qc.length - 1]} and is referenced from outside it (use sum()/count())`,
    );
  }
  const depth = cc.length - qc.length;
  if (depth === 0) return `{panel.${name}${suffix}}`;
  if (depth === 1) return `{parentPanel.${name}${suffix}}`;
  return bad(`不支持跨两层以上重复组的引用 \${${name}}`, `References across more than one repeat level are not supported: \${${name}}`);
}

const AGGREGATES: Record<string, string> = { sum: 'sumInArray', max: 'maxInArray', min: 'minInArray' };

function translateCall(e: Extract<XExpr, { k: 'call' }>, ctx: TranslateContext): string {
  const args = e.args;
  const arity = (n: number): void => {
    if (args.length !== n) bad(`函数 ${e.fn}() 需要 ${n} 个参数`, `${e.fn}() takes ${n} argument(s)`);
  };
  const refName = (a: XExpr | undefined): string => {
    if (a?.k === 'ref') return a.name;
    if (a?.k === 'self' && ctx.self) return ctx.self;
    return bad(`函数 ${e.fn}() 的第一个参数必须是 \${题目名}`, `The first argument of ${e.fn}() must be a \${question}`);
  };
  switch (e.fn) {
    case 'selected': {
      arity(2);
      const name = refName(args[0]);
      const v = args[1];
      if (v?.k !== 'str' && v?.k !== 'num') return bad('selected() 的第二个参数必须是选项名', 'The second argument of selected() must be a choice name');
      const lit = sjsString(v.k === 'str' ? v.v : String(v.v));
      const info = ctx.lookup(name);
      const ref = translate(args[0] as XExpr, ctx);
      return info?.kind === 'select_one' ? `${ref} = ${lit}` : `${ref} contains ${lit}`;
    }
    case 'count-selected':
    case 'string-length': {
      arity(1);
      const name = refName(args[0]);
      if (!ctx.lookup(name)) return bad(`引用了不存在的题目 \${${name}}`, `Reference to unknown question \${${name}}`);
      return renderRef(name, ctx, '.length');
    }
    case 'count': {
      arity(1);
      const name = refName(args[0]);
      const info = ctx.lookup(name);
      if (info?.kind !== 'repeat') return bad('count() 只支持重复组', 'count() is only supported on a repeat');
      return renderRef(name, ctx, '.length');
    }
    case 'sum':
    case 'max':
    case 'min': {
      arity(1);
      const name = refName(args[0]);
      const info = ctx.lookup(name);
      if (!info) return bad(`引用了不存在的题目 \${${name}}`, `Reference to unknown question \${${name}}`);
      const repeat = info.repeats[info.repeats.length - 1];
      if (!repeat || info.repeats.length !== ctx.repeats.length + 1 || !ctx.repeats.every((r, i) => info.repeats[i] === r)) {
        return bad(`${e.fn}() 只支持紧邻下一层重复组中的题目`, `${e.fn}() is only supported on a question of a repeat directly below`);
      }
      return `${AGGREGATES[e.fn] as string}(${renderRef(repeat, ctx)}, ${sjsString(info.name)})`;
    }
    case 'if':
      arity(3);
      return `iif(${args.map((a) => translate(a, ctx)).join(', ')})`;
    case 'not':
      arity(1);
      return `!(${translate(args[0] as XExpr, ctx)})`;
    case 'position':
      if (args.length !== 0 || ctx.repeats.length === 0) bad('position(..) 只能在重复组内使用', 'position(..) can only be used inside a repeat');
      return '({panelIndex} + 1)';
    case 'today':
      arity(0);
      return 'today()';
    case 'now':
      arity(0);
      return 'currentDate()';
    case 'true':
      arity(0);
      return 'true';
    case 'false':
      arity(0);
      return 'false';
    case 'int':
      arity(1);
      return `trunc(${translate(args[0] as XExpr, ctx)})`;
    case 'round':
      if (args.length !== 1 && args.length !== 2) bad('round() 需要 1 或 2 个参数', 'round() takes 1 or 2 arguments');
      return `round(${args.map((a) => translate(a, ctx)).join(', ')})`;
    case 'regex':
      return bad('regex() 只能作为约束条件中 "and" 连接的一项使用', 'regex() is only supported as an "and"-joined part of a constraint');
    default:
      return bad(`不支持的函数 ${e.fn}()`, `Unsupported function ${e.fn}()`);
  }
}

/** Translate one parsed XLSForm expression to SurveyJS expression text. */
export function translate(e: XExpr, ctx: TranslateContext, parentLevel = 0, rightSide = false): string {
  switch (e.k) {
    case 'num': return sjsNumber(e.v);
    case 'str': return sjsString(e.v);
    case 'bool': return e.v ? 'true' : 'false';
    case 'ref': return renderRef(e.name, ctx);
    case 'self':
      if (!ctx.self) return bad('此处不能用 "."', '"." cannot be used here');
      return renderRef(ctx.self, ctx);
    case 'col': {
      if (ctx.choiceRow) {
        const v = ctx.choiceRow[e.name.toLowerCase()];
        if (v === undefined) return bad(`选项表没有 "${e.name}" 列`, `The choices sheet has no "${e.name}" column`);
        return sjsString(v);
      }
      if (e.name === 'and' || e.name === 'or' || e.name === 'div' || e.name === 'mod') return bad(`运算符 ${e.name} 缺少操作数`, `Operator ${e.name} is missing an operand`);
      return bad(`无法识别的名称 "${e.name}"(题目请写成 \${名称})`, `Unknown name "${e.name}" (write questions as \${name})`);
    }
    case 'call': return translateCall(e, ctx);
    case 'neg': {
      const inner = translate(e.e, ctx, 5, true);
      const s = `0 - ${inner}`;
      return needsParens(5, parentLevel, rightSide) ? `(${s})` : s;
    }
    case 'bin': {
      const lvl = LEVEL[e.op];
      const s = `${translate(e.l, ctx, lvl, false)} ${SJS_OP[e.op]} ${translate(e.r, ctx, lvl, true)}`;
      return parentLevel > 0 && needsParens(lvl, parentLevel, rightSide) ? `(${s})` : s;
    }
  }
}

/** Parse and translate in one step. */
export function xlsToSurveyExpression(src: string, ctx: TranslateContext): string {
  return translate(parseXls(src), ctx);
}

/** Split a constraint into its top-level "and" parts (regex() parts become regex validators). */
export function splitAnd(e: XExpr): XExpr[] {
  if (e.k === 'bin' && e.op === 'and') return [...splitAnd(e.l), ...splitAnd(e.r)];
  return [e];
}

/** Join parts with "and" again (left-associative, as the parser builds it). */
export function joinAnd(parts: XExpr[]): XExpr | undefined {
  let acc: XExpr | undefined;
  for (const p of parts) acc = acc ? { k: 'bin', op: 'and', l: acc, r: p } : p;
  return acc;
}

/** Replace `${name}` references inside label text by SurveyJS `{name}` placeholders. */
export function translateLabelText(text: string, ctx: TranslateContext): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  const out = text.replace(/\$\{\s*([^}\s]+)\s*\}/g, (_m, name: string) => {
    try {
      return renderRef(name, ctx);
    } catch {
      unknown.push(name);
      return `\${${name}}`;
    }
  });
  return { text: out, unknown };
}

const XPATH_OP: Record<BinOp, string> = {
  or: 'or', and: 'and', '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '+': '+', '-': '-', '*': '*', div: 'div', mod: 'mod',
};

/** XPath text of a string literal (XPath strings have no escapes: pick the other quote). */
export function xpathString(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  throw new XlsExprError('字符串同时含有单引号和双引号,XLSForm 无法表示', 'A string holding both quote kinds cannot be written in XLSForm');
}

/** Print an XLSForm expression tree back to XLSForm text. */
export function printXls(e: XExpr, parentLevel = 0, rightSide = false): string {
  switch (e.k) {
    case 'num': return String(e.v);
    case 'str': return xpathString(e.v);
    case 'bool': return e.v ? 'true()' : 'false()';
    case 'ref': return `\${${e.name}}`;
    case 'self': return '.';
    case 'col': return e.name;
    case 'call': return e.fn === 'position' && e.args.length === 0 ? 'position(..)' : `${e.fn}(${e.args.map((a) => printXls(a)).join(', ')})`;
    case 'neg': return `-${printXls(e.e, 7, true)}`;
    case 'bin': {
      const lvl = LEVEL[e.op];
      const s = `${printXls(e.l, lvl, false)} ${XPATH_OP[e.op]} ${printXls(e.r, lvl, true)}`;
      return parentLevel > 0 && needsParens(lvl, parentLevel, rightSide) ? `(${s})` : s;
    }
  }
}
