import fc from 'fast-check';
import {
  addPage, addQuestion, deletePage, deleteQuestion, duplicatePage, duplicateQuestion, moveQuestion, nudgeQuestion, pagesOf,
  QUESTION_TEMPLATE_IDS, createHistory, pushHistory, undo, redo, type EditResult,
} from '../../../common/designer/operations';
import { diffDefinitions } from '../../../common/designer/diff';
import { checkDefinition, listQuestions } from '../../../common/forms/check-definition';
import type { SurveyDefinition } from '../../../common/api/forms';

type Op = (d: SurveyDefinition) => EditResult;

const topNames = (d: SurveyDefinition) => pagesOf(d).flatMap((p) => p.elements.map((e) => String(e.name)));

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constantFrom(...QUESTION_TEMPLATE_IDS), p: fc.nat(3) }).map(({ t, p }) => (d: SurveyDefinition) => addQuestion(d, t, p)),
  fc.nat(20).map((i) => (d: SurveyDefinition) => { const n = topNames(d)[i % Math.max(1, topNames(d).length)]; return n ? duplicateQuestion(d, n) : { definition: d, selected: null }; }),
  fc.nat(20).map((i) => (d: SurveyDefinition) => { const n = topNames(d)[i % Math.max(1, topNames(d).length)]; return n ? deleteQuestion(d, n) : { definition: d, selected: null }; }),
  fc.record({ i: fc.nat(20), p: fc.nat(3), at: fc.nat(10) }).map(({ i, p, at }) => (d: SurveyDefinition) => {
    const n = topNames(d)[i % Math.max(1, topNames(d).length)];
    return n ? moveQuestion(d, n, p % pagesOf(d).length, at) : { definition: d, selected: null };
  }),
  fc.record({ i: fc.nat(20), up: fc.boolean() }).map(({ i, up }) => (d: SurveyDefinition) => {
    const n = topNames(d)[i % Math.max(1, topNames(d).length)];
    return n ? nudgeQuestion(d, n, up ? -1 : 1) : { definition: d, selected: null };
  }),
  fc.constant((d: SurveyDefinition) => addPage(d)),
  fc.nat(3).map((p) => (d: SurveyDefinition) => duplicatePage(d, p % pagesOf(d).length)),
  fc.nat(3).map((p) => (d: SurveyDefinition) => deletePage(d, p % pagesOf(d).length)),
);

describe('definition operations, random sequences', () => {
  it('keep names unique and the definition valid; moves never lose or duplicate a question', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
      let d: SurveyDefinition = { pages: [{ name: 'page1', elements: [] }] };
      for (const o of ops) {
        const before = topNames(d);
        const r = o(d);
        d = r.definition;
        const names = [...listQuestions(d).map((q) => q.path)];
        expect(new Set(names).size).toBe(names.length);
        expect(pagesOf(d).length).toBeGreaterThan(0);
        const after = topNames(d);
        if (r.selected && before.includes(r.selected) && after.includes(r.selected)) {
          // a move or nudge: the same set of questions
          if (before.length === after.length) expect([...after].sort()).toEqual([...before].sort());
        }
      }
      expect(checkDefinition('general', d).filter((p) => p.code !== 'EMPTY')).toEqual([]);
    }), { numRuns: 60 });
  });

  it('the diff of two states lists exactly the questions added and removed between them; undo returns to the same state', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 10 }), fc.array(op, { maxLength: 10 }), (first, second) => {
      let a: SurveyDefinition = { pages: [{ name: 'page1', elements: [] }] };
      for (const o of first) a = o(a).definition;
      let h = createHistory(a);
      for (const o of second) h = pushHistory(h, o(h.present).definition);
      const b = h.present;
      const paths = (d: SurveyDefinition) => new Set(listQuestions(d).map((q) => q.path));
      const pa = paths(a);
      const pb = paths(b);
      const diff = diffDefinitions('general', a, b);
      expect(diff.added.map((q) => q.path).sort()).toEqual([...pb].filter((x) => !pa.has(x)).sort());
      expect(diff.removed.map((q) => q.path).sort()).toEqual([...pa].filter((x) => !pb.has(x)).sort());
      const back = diffDefinitions('general', b, a);
      expect(back.added.map((q) => q.path).sort()).toEqual(diff.removed.map((q) => q.path).sort());
      let u = h;
      while (u.past.length) u = undo(u);
      expect(u.present).toEqual(a);
      while (u.future.length) u = redo(u);
      expect(u.present).toEqual(b);
    }), { numRuns: 60 });
  });
});
