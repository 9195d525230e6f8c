/**
 * Property tests of the XLSForm → SurveyJS expression translation: for random expressions over
 * numbers, references, arithmetic, comparisons, and/or/not and if(), the SurveyJS translation
 * evaluated by survey-core gives what an XPath reference evaluator gives; printing and re-parsing
 * keeps the meaning; and SurveyJS → XLSForm → SurveyJS is stable.
 */
import fc from 'fast-check';
import { ExpressionRunner } from 'survey-core';
import {
  parseXls, printXls, type QuestionInfo, surveyToXlsExpression, translate, type TranslateContext, type XExpr,
} from '../../common/xlsform';

const VARS = ['a', 'b', 'c'] as const;
const infos: QuestionInfo[] = VARS.map((name) => ({ name, kind: 'other', repeats: [] }));
const ctx: TranslateContext = { lookup: (n) => infos.find((i) => i.name === n), repeats: [] };

type Values = Record<(typeof VARS)[number], number>;

/** XPath meaning of the generated subset (numbers are integers, so no rounding questions). */
function xpath(e: XExpr, v: Values): number | boolean {
  switch (e.k) {
    case 'num': return e.v;
    case 'ref': return v[e.name as keyof Values];
    case 'neg': return 0 - (xpath(e.e, v) as number);
    case 'call':
      if (e.fn === 'not') return !xpath(e.args[0] as XExpr, v);
      if (e.fn === 'true') return true;
      if (e.fn === 'false') return false;
      if (e.fn === 'if') return xpath(e.args[0] as XExpr, v) ? xpath(e.args[1] as XExpr, v) : xpath(e.args[2] as XExpr, v);
      throw new Error(`unexpected ${e.fn}`);
    case 'bin': {
      const l = xpath(e.l, v);
      const r = xpath(e.r, v);
      switch (e.op) {
        case 'and': return Boolean(l) && Boolean(r);
        case 'or': return Boolean(l) || Boolean(r);
        case '=': return l === r;
        case '!=': return l !== r;
        case '<': return l < r;
        case '<=': return l <= r;
        case '>': return l > r;
        case '>=': return l >= r;
        case '+': return (l as number) + (r as number);
        case '-': return (l as number) - (r as number);
        case '*': return (l as number) * (r as number);
        default: throw new Error(`unexpected ${e.op}`);
      }
    }
    default: throw new Error(`unexpected ${e.k}`);
  }
}

const { num, bool } = fc.letrec<{ num: XExpr; bool: XExpr }>((tie) => ({
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -20, max: 20 }).map((v): XExpr => ({ k: 'num', v })),
    fc.constantFrom(...VARS).map((name): XExpr => ({ k: 'ref', name })),
    fc.tuple(fc.constantFrom('+', '-', '*' as const), tie('num'), tie('num')).map(([op, l, r]): XExpr => ({ k: 'bin', op: op as '+' | '-' | '*', l, r })),
    // The parser folds "-5" into a number, so a negated number is generated as one.
    tie('num').map((e): XExpr => (e.k === 'num' ? { k: 'num', v: -e.v } : { k: 'neg', e })),
    fc.tuple(tie('bool'), tie('num'), tie('num')).map(([c, a, b]): XExpr => ({ k: 'call', fn: 'if', args: [c, a, b] })),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom('=', '!=', '<', '<=', '>', '>=' as const), tie('num'), tie('num')).map(([op, l, r]): XExpr => ({ k: 'bin', op: op as '=', l, r })),
    fc.tuple(fc.constantFrom('and', 'or' as const), tie('bool'), tie('bool')).map(([op, l, r]): XExpr => ({ k: 'bin', op: op as 'and', l, r })),
    tie('bool').map((e): XExpr => ({ k: 'call', fn: 'not', args: [e] })),
    fc.constantFrom('true', 'false').map((fn): XExpr => ({ k: 'call', fn, args: [] })),
  ),
}));

const values = fc.record({ a: fc.integer({ min: -9, max: 9 }), b: fc.integer({ min: -9, max: 9 }), c: fc.integer({ min: -9, max: 9 }) });

describe('XLSForm expression translation (property)', () => {
  test.each([['numeric', num], ['boolean', bool]] as const)('%s expressions: survey-core evaluates the translation as XPath does', (_kind, arb) => {
    fc.assert(fc.property(arb, values, (ast, v) => {
      const sjs = translate(ast, ctx);
      // -0 and 0 are the same answer.
      const norm = (x: unknown): unknown => (x === 0 ? 0 : x);
      const got = norm(new ExpressionRunner(sjs).runValues(v));
      expect({ sjs, got }).toEqual({ sjs, got: norm(xpath(ast, v)) });
    }), { numRuns: 400 });
  });

  test('printing an XLSForm expression and parsing it again keeps its translation', () => {
    fc.assert(fc.property(fc.oneof(num, bool), (ast) => {
      expect(translate(parseXls(printXls(ast)), ctx)).toBe(translate(ast, ctx));
    }), { numRuns: 400 });
  });

  test('SurveyJS → XLSForm → SurveyJS gives the same SurveyJS text', () => {
    fc.assert(fc.property(fc.oneof(num, bool), (ast) => {
      const sjs = translate(ast, ctx);
      expect(translate(parseXls(surveyToXlsExpression(sjs, ctx)), ctx)).toBe(sjs);
    }), { numRuns: 400 });
  });
});
