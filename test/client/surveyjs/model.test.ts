/** @jest-environment jsdom */
import { surveyLocalization, type Model } from 'survey-core';
import { createSurveyModel, disposeSurvey, quizReview, villagerFriendly } from '../../../client/src/surveyjs/model';

const QUIZ = {
  locale: 'zh-cn',
  pages: [{ name: 'p', elements: [
    { type: 'radiogroup', name: 'q1', title: '婚龄', choices: ['18', '20'], correctAnswer: '20' },
    { type: 'checkbox', name: 'q2', title: '途径', choices: [{ value: 'blood', text: '血液' }, { value: 'sex', text: '性' }, { value: 'mosquito', text: '蚊子' }], correctAnswer: ['blood', 'sex'] },
    { type: 'dropdown', name: 'sex', title: '性别', choices: ['男', '女'], scored: false },
    { type: 'paneldynamic', name: 'members', templateElements: [{ type: 'text', name: 'n' }] },
  ] }],
};

const opts = { kind: 'knowledge' as const, readAloudLabel: '朗读' };

test('the zh-cn locale is corrected: no translated placeholder, no "还行"', () => {
  const m = createSurveyModel(QUIZ, opts);
  const zh = (surveyLocalization.locales as Record<string, Record<string, string>>)['zh-cn']!;
  expect(zh.panelDynamicTabTextFormat).toContain('{panelIndex}');
  expect(zh.panelDynamicTabTextFormat).not.toContain('面板索引');
  expect(zh.ok).toBe('确定');
  expect(Object.values(zh)).not.toContain('还行');
  expect(m.locale).toBe('zh-cn');
  disposeSurvey(m);
});

test('short dropdowns become radio groups for villagers; the stored definition is untouched', () => {
  const out = villagerFriendly(QUIZ) as typeof QUIZ;
  expect(out.pages[0]!.elements[2]!.type).toBe('radiogroup');
  expect(QUIZ.pages[0]!.elements[2]!.type).toBe('dropdown');
  const m = createSurveyModel(QUIZ, opts);
  expect(m.getQuestionByName('sex').getType()).toBe('radiogroup');
  disposeSurvey(m);
});

test('quiz review: right/wrong per question and the correct answers as choice texts', () => {
  const m: Model = createSurveyModel(QUIZ, opts);
  m.setValue('q1', '18');
  m.setValue('q2', ['sex', 'blood']);
  const review = quizReview(m);
  expect(review).toMatchObject({ total: 2, correct: 1 });
  expect(review.items.map((i) => [i.name, i.correct, i.correctText])).toEqual([['q1', false, '20'], ['q2', true, '血液、性']]);
  disposeSurvey(m);
  expect(m.isDisposed).toBe(true);
  expect(() => disposeSurvey(m)).not.toThrow();
});

test('census rosters render as a carousel with lazy rendering; draft data is loaded', () => {
  const m = createSurveyModel(QUIZ, { kind: 'census', readAloudLabel: '朗读', data: { members: [{ n: '王' }] } });
  expect((m.getQuestionByName('members') as unknown as { displayMode: string }).displayMode).toBe('carousel');
  expect(m.lazyRenderEnabled).toBe(true);
  expect(m.data).toEqual({ members: [{ n: '王' }] });
  disposeSurvey(m);
});

test('each respondent gets an independent model', () => {
  const a = createSurveyModel(QUIZ, opts);
  a.setValue('q1', '18');
  const b = createSurveyModel(QUIZ, opts);
  expect(b.data).toEqual({});
  disposeSurvey(a);
  disposeSurvey(b);
});
