import {
  addPage, addQuestion, createHistory, deletePage, deleteQuestion, duplicatePage, duplicateQuestion, findElement, joinText, movePage,
  moveQuestion, normalizeDefinition, nudgeQuestion, pagesOf, pushHistory, QUESTION_TEMPLATE_IDS, redo, setProperty, splitText, undo,
  untranslatedStrings,
} from '../../../common/designer/operations';
import { checkDefinition } from '../../../common/forms/check-definition';

const names = (d: Record<string, unknown>) => pagesOf(d).map((p) => p.elements.map((e) => e.name));

describe('definition operations (pure)', () => {
  it('normalizes top-level elements onto a first page', () => {
    const d = normalizeDefinition({ elements: [{ type: 'text', name: 'a' }] });
    expect(d).toEqual({ pages: [{ name: 'page1', elements: [{ type: 'text', name: 'a' }] }] });
    expect(normalizeDefinition({})).toEqual({ pages: [{ name: 'page1', elements: [] }] });
  });

  it('adds every designer type with a unique name, and the result is a valid definition', () => {
    let d: Record<string, unknown> = {};
    for (const t of QUESTION_TEMPLATE_IDS) d = addQuestion(d, t, 0).definition;
    const all = names(d)[0] ?? [];
    expect(all).toHaveLength(QUESTION_TEMPLATE_IDS.length);
    expect(new Set(all.map(String)).size).toBe(all.length);
    expect(checkDefinition('general', d)).toEqual([]);
  });

  it('never mutates its input', () => {
    const d0 = addQuestion({}, 'radiogroup', 0).definition;
    const frozen = JSON.stringify(d0);
    addQuestion(d0, 'text', 0);
    duplicateQuestion(d0, 'q1');
    deleteQuestion(d0, 'q1');
    setProperty(d0, 'q1', 'title', 'x');
    addPage(d0);
    expect(JSON.stringify(d0)).toBe(frozen);
  });

  it('duplicate / delete / move questions', () => {
    let d = addQuestion({}, 'radiogroup', 0).definition;
    d = addQuestion(d, 'text', 0).definition;
    const dup = duplicateQuestion(d, 'q1');
    expect(names(dup.definition)).toEqual([['q1', 'q_1', 'q2']]);
    expect(dup.selected).toBe('q_1');
    d = dup.definition;
    d = moveQuestion(d, 'q2', 0, 0).definition;
    expect(names(d)).toEqual([['q2', 'q1', 'q_1']]);
    d = nudgeQuestion(d, 'q2', 1).definition;
    expect(names(d)).toEqual([['q1', 'q2', 'q_1']]);
    d = addPage(d).definition;
    d = nudgeQuestion(d, 'q_1', 1).definition; // across the page boundary
    expect(names(d)).toEqual([['q1', 'q2'], ['q_1']]);
    const del = deleteQuestion(d, 'q1');
    expect(names(del.definition)).toEqual([['q2'], ['q_1']]);
    expect(del.selected).toBe('q2');
    expect(deleteQuestion(d, 'nope').definition).toBe(d);
  });

  it('pages: add, duplicate (renaming questions), move, delete (the last page is kept)', () => {
    let d = addQuestion({}, 'text', 0).definition;
    d = duplicatePage(d, 0).definition;
    expect(pagesOf(d).map((p) => p.name)).toEqual(['page1', 'page2']);
    expect(names(d)).toEqual([['q1'], ['q_1']]);
    d = movePage(d, 1, 0).definition;
    expect(pagesOf(d).map((p) => p.name)).toEqual(['page2', 'page1']);
    d = deletePage(d, 0).definition;
    d = deletePage(d, 0).definition;
    expect(pagesOf(d)).toEqual([{ name: 'page1', elements: [] }]);
  });

  it('setProperty sets, removes, and renaming a question renames its references', () => {
    let d = addQuestion({}, 'radiogroup', 0).definition;
    d = addQuestion(d, 'text', 0).definition;
    d = setProperty(d, 'q2', 'visibleIf', "{q1} = 'a' or {q1.x} notempty or {q10} = 1").definition;
    d = setProperty(d, 'q1', 'name', 'sex').definition;
    expect(findElement(d, 'q2')?.visibleIf).toBe("{sex} = 'a' or {sex.x} notempty or {q10} = 1");
    d = setProperty(d, 'q2', 'visibleIf', undefined).definition;
    expect(findElement(d, 'q2')).not.toHaveProperty('visibleIf');
    d = setProperty(d, null, 'title', joinText('问卷', 'Form')).definition;
    expect(d.title).toEqual({ 'zh-cn': '问卷', default: 'Form' });
  });

  it('undo / redo, with typing in one field merged into one step', () => {
    let h = createHistory<Record<string, unknown>>({});
    h = pushHistory(h, addQuestion(h.present, 'text', 0).definition);
    h = pushHistory(h, setProperty(h.present, 'q1', 'title', 'a').definition, 'q1.title');
    h = pushHistory(h, setProperty(h.present, 'q1', 'title', 'ab').definition, 'q1.title');
    expect(h.past).toHaveLength(2);
    h = undo(h);
    expect(findElement(h.present, 'q1')?.title).toEqual({ 'zh-cn': '新填空', default: 'New text' });
    h = redo(h);
    expect(findElement(h.present, 'q1')?.title).toBe('ab');
    h = undo(undo(h));
    expect(h.present).toEqual({});
    expect(undo(h)).toBe(h);
    h = pushHistory(h, { x: 1 });
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('bilingual text: split, join, untranslated strings', () => {
    expect(splitText({ 'zh-cn': '年龄', default: 'Age' })).toEqual({ zh: '年龄', en: 'Age' });
    expect(splitText('年龄')).toEqual({ zh: '年龄', en: '' });
    expect(splitText({ default: '年龄' })).toEqual({ zh: '年龄', en: '' });
    expect(joinText('年龄', '')).toBe('年龄');
    expect(joinText('', '')).toBeUndefined();
    const d = {
      title: { 'zh-cn': '问卷', default: 'Form' },
      pages: [{ name: 'p', elements: [
        { type: 'radiogroup', name: 'q1', title: '年龄', choices: [{ value: 'a', text: { 'zh-cn': '甲', default: 'A' } }, { value: 'b', text: '乙' }] },
        { type: 'text', name: 'q2', title: { default: 'Only English' } },
      ] }],
    };
    expect(untranslatedStrings(d)).toEqual([
      { element: 'q1', property: 'title', zh: '年龄', en: '', missing: 'en' },
      { element: 'q1', property: 'choices', item: 'b', zh: '乙', en: '', missing: 'en' },
      { element: 'q2', property: 'title', zh: '', en: 'Only English', missing: 'zh' },
    ]);
  });
});
