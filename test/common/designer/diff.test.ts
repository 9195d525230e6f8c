import { diffDefinitions } from '../../../common/designer/diff';
import { loadTemplates } from '../../../form-definitions';

const quiz = (over: Record<string, unknown> = {}, extra: object[] = []) => ({
  locale: 'zh-cn',
  pages: [{
    name: 'p1',
    elements: [
      { type: 'radiogroup', name: 'age_band', title: '年龄', scored: false, choices: ['a', 'b'] },
      { type: 'radiogroup', name: 'q1', title: { 'zh-cn': '婚龄?', default: 'Age?' }, choices: ['18', '20', '22'], correctAnswer: '20', ...over },
      { type: 'checkbox', name: 'q2', title: '哪些?', choices: ['x', 'y', 'z'], correctAnswer: ['x', 'y'] },
      ...extra,
    ],
  }],
});

describe('diffDefinitions', () => {
  it('an unchanged definition is identical, with no warnings', () => {
    const d = diffDefinitions('knowledge', quiz(), quiz());
    expect(d).toMatchObject({ added: [], removed: [], changed: [], warnings: [], identical: true });
  });

  it('a first version lists every question as added and warns about nothing', () => {
    const d = diffDefinitions('knowledge', null, quiz());
    expect(d.added.map((q) => q.name)).toEqual(['age_band', 'q1', 'q2']);
    expect(d.warnings).toEqual([]);
  });

  it('questions added, removed, changed (title, choices) with choice-level detail', () => {
    const to = quiz({ title: { 'zh-cn': '法定婚龄?', default: 'Age?' }, choices: [{ value: '18', text: '十八' }, '20', '25'] }, [{ type: 'text', name: 'note', title: '建议', scored: false }]);
    (to.pages[0]?.elements as object[]).splice(2, 1); // q2 removed
    const d = diffDefinitions('general', quiz(), to);
    expect(d.added.map((q) => q.name)).toEqual(['note']);
    expect(d.removed.map((q) => q.name)).toEqual(['q2']);
    const q1 = d.changed.find((c) => c.name === 'q1');
    expect(q1?.aspects).toEqual(expect.arrayContaining(['title', 'choices']));
    expect(q1?.choices).toEqual({ added: ['25'], removed: ['22'], relabeled: ['18'], reordered: false });
    expect(q1?.title).toBe('法定婚龄?');
    expect(d.identical).toBe(false);
    expect(d.warnings).toEqual([]); // a general form has no indicator
  });

  it('knowledge: a correct answer changed mid-campaign is a comparability warning', () => {
    const d = diffDefinitions('knowledge', quiz(), quiz({ correctAnswer: '22' }));
    const c = d.changed.find((x) => x.name === 'q1');
    expect(c?.aspects).toContain('correctAnswer');
    expect(c?.before?.correctAnswer).toBe('20');
    expect(c?.after?.correctAnswer).toBe('22');
    expect(d.warnings).toEqual([expect.objectContaining({ code: 'CORRECT_ANSWER_CHANGED', question: 'q1' })]);
    expect(d.warnings[0]?.zh).toMatch(/正确答案/);
  });

  it('knowledge: a scored question removed, a new one added, points changed, choices of a scored item changed', () => {
    const to = quiz({ points: 3, choices: ['18', '20'] }, [{ type: 'boolean', name: 'q3', title: '对吗', correctAnswer: true }]);
    (to.pages[0]?.elements as object[]).splice(2, 1);
    const codes = diffDefinitions('knowledge', quiz(), to).warnings.map((w) => `${w.code}:${w.question}`).sort();
    expect(codes).toEqual(['SCORED_CHOICES_CHANGED:q1', 'SCORED_QUESTION_ADDED:q3', 'SCORED_QUESTION_REMOVED:q2', 'SCORING_CHANGED:q1']);
  });

  it('knowledge: marking a question unscored counts as removing it from the rate; profile questions do not warn', () => {
    const to = quiz();
    const q2 = to.pages[0]?.elements[2] as Record<string, unknown>;
    q2.scored = false;
    const age = to.pages[0]?.elements[0] as Record<string, unknown>;
    age.choices = ['a', 'b', 'c'];
    const d = diffDefinitions('knowledge', quiz(), to);
    expect(d.warnings.map((w) => w.code)).toEqual(['SCORED_QUESTION_REMOVED']);
    expect(d.changed.find((c) => c.name === 'age_band')?.aspects).toEqual(['choices']);
  });

  it('satisfaction: the scale of a rating question changed, a dimension moved', () => {
    const sat = (choices: unknown[], dimension = 'attitude') => ({
      pages: [{ name: 'p', elements: [{ type: 'radiogroup', name: 's1', dimension, choices }, { type: 'radiogroup', name: 's2', dimension: 'wait', choices: [1, 2, 3, 4, 5] }] }],
    });
    const d = diffDefinitions('satisfaction', sat([1, 2, 3, 4, 5]), sat([1, 2, 3, 4, 5, 6]));
    expect(d.warnings.map((w) => w.code)).toEqual(['SATISFACTION_SCALE_CHANGED']);
    const d2 = diffDefinitions('satisfaction', sat([1, 2, 3, 4, 5]), sat([1, 2, 3, 4, 5], 'environment'));
    expect(d2.warnings.map((w) => w.code)).toEqual(['DIMENSION_CHANGED']);
  });

  it('type changes and show-if changes of indicator questions warn; moves are changes without warnings', () => {
    const to = quiz({ type: 'dropdown' }, []);
    const d = diffDefinitions('knowledge', quiz(), to);
    expect(d.warnings.map((w) => w.code)).toContain('TYPE_CHANGED');
    const cond = diffDefinitions('knowledge', quiz(), quiz({ visibleIf: "{age_band} = 'a'" }));
    expect(cond.warnings.map((w) => w.code)).toEqual(['CONDITION_CHANGED']);
    const moved = quiz();
    const els = moved.pages[0]?.elements as object[];
    els.reverse();
    const dm = diffDefinitions('knowledge', quiz(), moved);
    expect(dm.changed.every((c) => c.aspects.join() === 'moved')).toBe(true);
    expect(dm.warnings).toEqual([]);
  });

  it('dynamic-panel members are diffed by path', () => {
    const roster = (inner: object[]) => ({ pages: [{ name: 'p', elements: [{ type: 'paneldynamic', name: 'members', templateElements: inner }] }] });
    const d = diffDefinitions('census', roster([{ type: 'text', name: 'n' }]), roster([{ type: 'text', name: 'n' }, { type: 'text', name: 'age', inputType: 'number' }]));
    expect(d.added.map((q) => q.path)).toEqual(['members[].age']);
  });

  it('each template compared with itself is identical', () => {
    for (const t of loadTemplates()) expect(diffDefinitions(t.kind, t.definition, t.definition).identical).toBe(true);
  });
});
