/** @jest-environment jsdom */
import type { Model } from 'survey-core';

const DEF = { pages: [{ name: 'p', elements: [{ type: 'radiogroup', name: 'q1', title: '叶酸可以预防出生缺陷吗?', choices: [{ value: 'yes', text: '对' }, { value: 'no', text: '错' }] }] }] };

interface Spoken { text: string; voice: unknown; lang: string }

function installSpeech(voices: Array<{ lang: string; name: string }>) {
  const spoken: Spoken[] = [];
  (globalThis as unknown as { SpeechSynthesisUtterance: unknown }).SpeechSynthesisUtterance = class {
    voice: unknown = null;
    lang = '';
    rate = 1;
    constructor(readonly text: string) {}
  };
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: { getVoices: () => voices, addEventListener: () => undefined, cancel: () => undefined, speak: (u: Spoken) => spoken.push(u) },
  });
  return spoken;
}

function titleActionIds(model: Model): Array<{ id: string; action?: () => void }> {
  const q = model.getQuestionByName('q1') as unknown as { getTitleActions(): Array<{ id: string; action?: () => void }> };
  return q.getTitleActions();
}

test('with a zh-CN voice every question gets a read-aloud button that speaks the title and choices', () => {
  jest.isolateModules(() => {
    const spoken = installSpeech([{ lang: 'en-US', name: 'en' }, { lang: 'zh-CN', name: 'Ting-Ting' }]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module state per test
    const sj = {
      ...(require('../../../client/src/surveyjs/model') as typeof import('../../../client/src/surveyjs/model')),
      ...(require('../../../client/src/surveyjs/read-aloud') as typeof import('../../../client/src/surveyjs/read-aloud')),
    };
    sj.initSpeech();
    expect(sj.hasChineseVoice()).toBe(true);
    const model = sj.createSurveyModel(DEF, { kind: 'knowledge', readAloudLabel: '朗读' });
    const action = titleActionIds(model).find((a) => a.id === 'cw-read-aloud');
    expect(action).toBeDefined();
    action!.action!();
    expect(spoken).toHaveLength(1);
    expect(spoken[0]!.text).toBe('叶酸可以预防出生缺陷吗?。对。错');
    expect(spoken[0]!.lang).toBe('zh-CN');
    sj.disposeSurvey(model);
  });
});

test('without a Chinese voice there is no read-aloud button', () => {
  jest.isolateModules(() => {
    installSpeech([{ lang: 'en-US', name: 'en' }, { lang: 'zh-TW', name: 'Mei-Jia' }]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module state per test
    const sj = {
      ...(require('../../../client/src/surveyjs/model') as typeof import('../../../client/src/surveyjs/model')),
      ...(require('../../../client/src/surveyjs/read-aloud') as typeof import('../../../client/src/surveyjs/read-aloud')),
    };
    sj.initSpeech();
    expect(sj.hasChineseVoice()).toBe(false);
    const model = sj.createSurveyModel(DEF, { kind: 'knowledge', readAloudLabel: '朗读' });
    expect(titleActionIds(model).some((a) => a.id === 'cw-read-aloud')).toBe(false);
    sj.disposeSurvey(model);
  });
});
