import { Model, type PanelModel, type QuestionPanelDynamicModel } from 'survey-core';
import { checkDefinition, SCORED_QUESTION_TYPES } from '../../common/forms/check-definition';
import { idCardCheckDigit } from '../../common/forms/survey-functions';
import type { SurveyDefinition } from '../../common/api/forms';
import { loadTemplate, loadTemplates, TEMPLATE_IDS, type Template } from '../../form-definitions';

type Json = Record<string, unknown>;

/** Top-level elements of a raw SurveyJS definition (pages → elements, panels flattened). */
function rawElements(definition: SurveyDefinition): Json[] {
  const out: Json[] = [];
  const walk = (elements: unknown): void => {
    if (!Array.isArray(elements)) return;
    for (const el of elements as Json[]) {
      out.push(el);
      if (el['type'] === 'panel') walk(el['elements']);
    }
  };
  const pages = definition['pages'];
  if (Array.isArray(pages)) for (const page of pages as Json[]) walk(page['elements']);
  walk(definition['elements']);
  return out;
}

function choiceValues(el: Json): unknown[] {
  const choices = el['choices'];
  if (!Array.isArray(choices)) return [];
  return choices.map((c: unknown) => (c !== null && typeof c === 'object' ? (c as Json)['value'] : c));
}

function template(id: string): Template {
  const t = loadTemplate(id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
}

/** A date string `years` years (and a few days) before today, local time. */
function yearsAgo(years: number): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  d.setDate(d.getDate() - 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function idFor(birthDate: string, serial = '123'): string {
  const first17 = `420102${birthDate.replace(/-/g, '')}${serial}`;
  return first17 + idCardCheckDigit(first17);
}

describe('template files', () => {
  it('loads the three templates with unique ids and bilingual titles', () => {
    const templates = loadTemplates();
    expect(templates.map((t) => t.id)).toEqual([...TEMPLATE_IDS]);
    expect(templates.map((t) => t.kind)).toEqual(['knowledge', 'satisfaction', 'census']);
    for (const t of templates) {
      expect(t.title.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(t.title.en).toBeTruthy();
      expect(t.definition['locale']).toBe('zh-cn');
    }
  });

  it('returns fresh copies', () => {
    const a = template('knowledge-quiz');
    a.definition['title'] = 'changed';
    expect(template('knowledge-quiz').definition['title']).not.toBe('changed');
  });

  it.each([...TEMPLATE_IDS])('%s passes checkDefinition with zero problems', (id) => {
    const t = template(id);
    expect(checkDefinition(t.kind, t.definition)).toEqual([]);
  });

  it.each([...TEMPLATE_IDS])('%s: every title is localized { default, zh-cn }', (id) => {
    const texts: unknown[] = [];
    const walk = (node: unknown, key?: string): void => {
      if (Array.isArray(node)) { node.forEach((n) => walk(n)); return; }
      if (node === null || typeof node !== 'object') {
        if (key === 'title' || key === 'text') texts.push(node);
        return;
      }
      if (key === 'title' || key === 'text' || key === 'description') { texts.push(node); return; }
      for (const [k, v] of Object.entries(node)) walk(v, k);
    };
    walk(template(id).definition);
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) {
      expect(text).toEqual({ default: expect.any(String), 'zh-cn': expect.stringMatching(/[\u4e00-\u9fff]|\d/) });
    }
  });
});

describe('knowledge-quiz', () => {
  const t = template('knowledge-quiz');
  const elements = rawElements(t.definition);
  const scored = elements.filter((el) => SCORED_QUESTION_TYPES.has(String(el['type'])) && el['scored'] !== false);

  it('has at least 12 scored questions, no dropdowns, at least 2 multi-select worth 2 points', () => {
    expect(scored.length).toBeGreaterThanOrEqual(12);
    expect(elements.some((el) => el['type'] === 'dropdown' || el['type'] === 'tagbox')).toBe(false);
    const multi = scored.filter((el) => el['type'] === 'checkbox');
    expect(multi.length).toBeGreaterThanOrEqual(2);
    for (const el of multi) expect(el['points']).toBe(2);
    expect(scored.some((el) => el['type'] === 'boolean')).toBe(true);
    expect(scored.some((el) => el['type'] === 'radiogroup')).toBe(true);
  });

  it('every scored question has a correctAnswer among its choices', () => {
    for (const el of scored) {
      const answer = el['correctAnswer'];
      if (el['type'] === 'boolean') {
        expect(typeof answer).toBe('boolean');
      } else if (el['type'] === 'checkbox') {
        expect(Array.isArray(answer)).toBe(true);
        for (const v of answer as unknown[]) expect(choiceValues(el)).toContain(v);
        expect(answer).not.toContain('dontknow');
      } else {
        expect(choiceValues(el)).toContain(answer);
        expect(answer).not.toBe('dontknow');
      }
    }
  });

  it('offers "不知道" on choice questions (exclusive on multi-select)', () => {
    for (const el of scored.filter((e) => e['type'] !== 'boolean')) {
      expect(choiceValues(el)).toContain('dontknow');
    }
    for (const el of scored.filter((e) => e['type'] === 'checkbox')) {
      const dk = (el['choices'] as Json[]).find((c) => c['value'] === 'dontknow');
      expect(dk?.['isExclusive']).toBe(true);
    }
  });

  it('the only unscored questions are the anonymous profile (age band and sex)', () => {
    const unscored = elements.filter((el) => !scored.includes(el)).map((el) => el['name']);
    expect(unscored.sort()).toEqual(['age_band', 'sex']);
  });

  it('survey-core scores all-correct answers as all correct, and don\'t-know as incorrect', () => {
    const model = new Model(t.definition);
    const answers: Json = { age_band: '25-34', sex: 'female' };
    for (const el of scored) answers[String(el['name'])] = el['correctAnswer'];
    model.data = answers;
    expect(model.getQuizQuestionCount()).toBe(scored.length);
    expect(model.getCorrectAnswerCount()).toBe(scored.length);
    model.setValue('q01_birth_policy', 'dontknow');
    expect(model.getCorrectAnswerCount()).toBe(scored.length - 1);
    model.dispose();
  });
});

describe('satisfaction-survey', () => {
  const t = template('satisfaction-survey');
  const elements = rawElements(t.definition);
  const dims = elements.filter((el) => el['dimension'] !== undefined);

  it('has the six service dimensions on a 5-point scale plus not-applicable', () => {
    expect(dims.map((el) => el['dimension']).sort()).toEqual(
      ['attitude', 'convenience', 'efficiency', 'overall', 'publicity', 'technical']);
    for (const el of dims) {
      expect(el['type']).toBe('radiogroup');
      expect(choiceValues(el)).toEqual([5, 4, 3, 2, 1, 'na']);
      expect(el['notApplicableValue']).toBe('na');
      expect(el['colCount']).toBeGreaterThan(1);
    }
    const labels = (dims[0]?.['choices'] as Json[]).map((c) => (c['text'] as Json)['zh-cn']);
    expect(labels).toEqual(['非常满意', '满意', '一般', '不满意', '非常不满意', '不适用/没有接触过']);
  });

  it('has one free-text suggestion with a length limit, and nothing identifying', () => {
    const comments = elements.filter((el) => el['type'] === 'comment');
    expect(comments).toHaveLength(1);
    expect(comments[0]?.['maxLength']).toEqual(expect.any(Number));
    expect(elements.some((el) => el['type'] === 'text' || el['sensitive'] === true)).toBe(false);
  });

  it('survey-core accepts "na" and requires every dimension', () => {
    const model = new Model(t.definition);
    model.locale = 'zh-cn';
    const answers: Json = { age_band: '50-64', sex: 'male' };
    for (const el of dims) answers[String(el['name'])] = 4;
    answers['s04_technical'] = 'na';
    model.data = answers;
    expect(model.validate(true)).toBe(true);
    model.clearValue('s06_overall');
    expect(model.validate(true)).toBe(false);
    expect(model.getQuestionByName('s06_overall').errors.length).toBeGreaterThan(0);
    model.dispose();
  });
});

describe('household-census (headless survey-core)', () => {
  const t = template('household-census');

  const head = () => ({
    name: '张建国', relationship: 'head', sex: 'male', birth_date: yearsAgo(52), national_id: idFor(yearsAgo(52), '131'),
    marital_status: 'married', population_type: 'registered',
  });
  const wife = (age: number) => ({
    name: '李秀英', relationship: 'spouse', sex: 'female', birth_date: yearsAgo(age), national_id: idFor(yearsAgo(age), '242'),
    marital_status: 'married', population_type: 'registered',
    living_children: 2, currently_pregnant: false, contraception: 'iud',
  });
  const migrantSon = () => ({
    name: '张伟', relationship: 'child', sex: 'male', birth_date: yearsAgo(24), national_id: idFor(yearsAgo(24), '351'),
    marital_status: 'single', population_type: 'out_migrant', origin: '广东省深圳市', left_date: '2023-02-15',
  });
  const household = (members: Json[]): Json => ({
    household_code: '420102001001020015', address: '湖北省武汉市江岸区某某村3组15号', head_name: '张建国',
    registration_type: 'agricultural', phone: '13812345678', members,
  });

  function withModel<T>(data: Json, fn: (model: Model, members: QuestionPanelDynamicModel) => T): T {
    const model = new Model(t.definition);
    model.locale = 'zh-cn';
    try {
      model.data = data;
      return fn(model, model.getQuestionByName('members') as QuestionPanelDynamicModel);
    } finally {
      model.dispose();
    }
  }

  const panelQuestion = (members: QuestionPanelDynamicModel, index: number, name: string) => {
    const panel: PanelModel | undefined = members.panels[index];
    const q = panel?.getQuestionByName(name);
    if (!q) throw new Error(`no ${name} in panel ${index}`);
    return q;
  };

  it('a valid household with members validates', () => {
    withModel(household([head(), wife(30), migrantSon()]), (model, members) => {
      expect(members.displayMode).toBe('carousel');
      expect(model.validate(true)).toBe(true);
    });
  });

  it('a member with a bad ID checksum fails, with the error on that member\'s ID', () => {
    const id = idFor(yearsAgo(30), '242');
    const badLast = id.endsWith('0') ? '1' : '0';
    const bad = { ...wife(30), national_id: id.slice(0, 17) + badLast };
    withModel(household([head(), bad]), (model, members) => {
      expect(model.validate(true)).toBe(false);
      expect(panelQuestion(members, 1, 'national_id').errors.map((e) => e.text)).toEqual(['身份号码有误，请核对（校验位不符）。']);
      expect(panelQuestion(members, 0, 'national_id').errors.length).toBe(0);
    });
  });

  it('an ID ending in X passes; a member without an ID passes', () => {
    // 11010519491231002X is the GB 11643 example; no ID is allowed (e.g. a newborn).
    const x = { ...head(), birth_date: '1949-12-31', national_id: '11010519491231002X' };
    const noId: Json = { ...migrantSon() };
    delete noId['national_id'];
    withModel(household([x, noId]), (model) => expect(model.validate(true)).toBe(true));
  });

  it('contraception questions are visible only for married women aged 15–49', () => {
    const man30 = { ...head(), birth_date: yearsAgo(30) };
    const woman55 = { ...wife(55) };
    const single30 = { ...wife(30), marital_status: 'single' };
    withModel(household([wife(30), man30, woman55, single30, { ...wife(15) }, { ...wife(50) }]), (model, members) => {
      const visible = (i: number) => ['contraception', 'currently_pregnant', 'living_children']
        .map((n) => panelQuestion(members, i, n).isVisible);
      expect(visible(0)).toEqual([true, true, true]);
      expect(visible(1)).toEqual([false, false, false]);
      expect(visible(2)).toEqual([false, false, false]);
      expect(visible(3)).toEqual([false, false, false]);
      expect(visible(4)).toEqual([true, true, true]);
      expect(visible(5)).toEqual([false, false, false]);
    });
  });

  it('a married woman of 30 must answer the contraception question; a man need not', () => {
    const w: Json = { ...wife(30) };
    delete w['contraception'];
    withModel(household([head(), w]), (model, members) => {
      expect(model.validate(true)).toBe(false);
      expect(panelQuestion(members, 1, 'contraception').errors.length).toBe(1);
    });
  });

  it('migration questions appear for migrants only, and a return before leaving is rejected', () => {
    withModel(household([head(), migrantSon()]), (_model, members) => {
      expect(panelQuestion(members, 0, 'origin').isVisible).toBe(false);
      expect(panelQuestion(members, 1, 'origin').isVisible).toBe(true);
      expect(panelQuestion(members, 1, 'left_date').isVisible).toBe(true);
    });
    withModel(household([head(), { ...migrantSon(), return_date: '2022-01-01' }]), (model, members) => {
      expect(model.validate(true)).toBe(false);
      expect(panelQuestion(members, 1, 'return_date').errors.length).toBe(1);
    });
  });

  it.each([
    ['420102001001020015', true],
    ['42010200100102001', false],
    ['4201020010010200150', false],
    ['42010200100102001X', false],
    ['4201020010010200 5', false],
  ])('household code %j valid: %s', (code, ok) => {
    withModel({ ...household([head()]), household_code: code }, (model) => {
      expect(model.validate(true)).toBe(ok);
      const errors = model.getQuestionByName('household_code').errors.map((e) => e.text);
      expect(errors).toEqual(ok ? [] : ['户编码必须是18位数字。']);
    });
  });

  it('rejects a birth date in the future', () => {
    withModel(household([{ ...head(), birth_date: '2999-01-01' }]), (model, members) => {
      expect(model.validate(true)).toBe(false);
      expect(panelQuestion(members, 0, 'birth_date').errors.map((e) => e.text)).toEqual(['出生日期不能晚于今天，也不能早于1900年。']);
    });
  });

  it('rejects a malformed phone number and requires at least one member', () => {
    withModel({ ...household([head()]), phone: '12345' }, (model) => {
      expect(model.validate(true)).toBe(false);
      expect(model.getQuestionByName('phone').errors.length).toBe(1);
    });
    withModel({ ...household([head()]), phone: '027-85551234' }, (model) => expect(model.validate(true)).toBe(true));
    withModel(household([]), (model) => expect(model.validate(true)).toBe(false));
  });

  it('marks name, ID, phone and reproductive-health fields sensitive', () => {
    const model = new Model(t.definition);
    try {
      const members = model.getQuestionByName('members') as QuestionPanelDynamicModel;
      const sensitive = [
        ...model.getAllQuestions(false, false, false).filter((q) => !q.parentQuestion),
        ...members.template.questions,
      ].filter((q) => (q as unknown as Json)['sensitive'] === true).map((q) => q.name).sort();
      expect(sensitive).toEqual(['contraception', 'currently_pregnant', 'head_name', 'living_children', 'name', 'national_id', 'phone']);
    } finally {
      model.dispose();
    }
  });
});
