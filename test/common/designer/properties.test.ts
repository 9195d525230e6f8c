import { Model, Serializer } from 'survey-core';
import { PROPERTY_LABELS, panelFields, propertyPanel } from '../../../common/designer/properties';

describe('propertyPanel (from Serializer metadata)', () => {
  it('groups a single-choice question into basic / choices / logic / validation / quiz / advanced', () => {
    const panel = propertyPanel('radiogroup');
    expect(panel.sections.map((s) => s.id)).toEqual(['basic', 'choices', 'logic', 'validation', 'quiz', 'advanced']);
    const byName = new Map(panelFields(panel).map((f) => [f.name, f]));
    expect(byName.get('title')).toMatchObject({ section: 'basic', editor: 'localized', label: { zh: '题目' }, mapped: true, localizable: true });
    expect(byName.get('name')).toMatchObject({ section: 'basic', isRequired: true });
    expect(byName.get('choices')).toMatchObject({ section: 'choices', editor: 'items' });
    expect(byName.get('choicesOrder')).toMatchObject({ editor: 'select', defaultValue: 'none' });
    expect(byName.get('choicesOrder')?.choices).toEqual(expect.arrayContaining(['none', 'asc', 'random']));
    expect(byName.get('visibleIf')).toMatchObject({ section: 'logic', editor: 'condition', label: { zh: '显示条件' } });
    expect(byName.get('requiredIf')).toMatchObject({ section: 'logic', editor: 'condition' });
    expect(byName.get('isRequired')).toMatchObject({ section: 'validation', editor: 'boolean' });
    expect(byName.get('correctAnswer')).toMatchObject({ section: 'quiz', editor: 'value' });
    expect(byName.get('points')).toMatchObject({ section: 'quiz', editor: 'number' });
    expect(byName.get('scored')).toMatchObject({ section: 'quiz', editor: 'boolean', defaultValue: true });
  });

  it('lists every visible serializable property exactly once; unmapped ones under "advanced" by name', () => {
    const panel = propertyPanel('radiogroup');
    const shown = panelFields(panel).map((f) => f.name);
    expect(new Set(shown).size).toBe(shown.length);
    const all = Serializer.getProperties('radiogroup');
    const accounted = new Set([...shown, ...panel.omitted.map((o) => o.name)]);
    for (const p of all) expect(accounted.has(p.name)).toBe(true);
    const advanced = panel.sections.find((s) => s.id === 'advanced');
    expect(advanced?.fields.every((f) => !f.mapped && f.label.zh === f.name)).toBe(true);
    expect(advanced?.fields.map((f) => f.name)).toContain('valueName');
    // survey-core's own invisible properties are reported, not silently dropped
    expect(panel.omitted).toEqual(expect.arrayContaining([{ name: 'renderAs', reason: 'invisible' }]));
  });

  it('differs by type: rating has its scale, text has an input type, boolean its labels', () => {
    const rating = panelFields(propertyPanel('rating')).map((f) => f.name);
    expect(rating).toEqual(expect.arrayContaining(['rateMin', 'rateMax', 'minRateDescription', 'maxRateDescription']));
    const text = panelFields(propertyPanel('text'));
    expect(text.find((f) => f.name === 'inputType')?.choices).toEqual(expect.arrayContaining(['number', 'date', 'tel']));
    expect(panelFields(propertyPanel('boolean')).map((f) => f.name)).toEqual(expect.arrayContaining(['labelTrue', 'labelFalse']));
    expect(panelFields(propertyPanel('paneldynamic')).map((f) => f.name)).toEqual(expect.arrayContaining(['panelCount', 'templateTitle']));
    expect(propertyPanel('paneldynamic').omitted).toEqual(expect.arrayContaining([{ name: 'templateElements', reason: 'structure' }]));
    expect(panelFields(propertyPanel('html')).find((f) => f.name === 'html')).toMatchObject({ editor: 'localized', section: 'basic' });
  });

  it('applies the properties\' own visibility to a live question (step only for number inputs)', () => {
    const m = new Model({ elements: [{ type: 'text', name: 'a', inputType: 'number' }, { type: 'text', name: 'b' }] });
    const names = (q: string) => panelFields(propertyPanel('text', m.getQuestionByName(q))).map((f) => f.name);
    expect(names('a')).toContain('step');
    expect(names('b')).not.toContain('step');
    expect(propertyPanel('text', m.getQuestionByName('b')).omitted).toEqual(expect.arrayContaining([{ name: 'step', reason: 'hidden-by-condition' }]));
    m.dispose();
  });

  it('every mapped label has zh-CN and English text', () => {
    for (const [name, l] of Object.entries(PROPERTY_LABELS)) {
      expect(l.zh.length).toBeGreaterThan(0);
      expect(l.en.length).toBeGreaterThan(0);
      expect(name).toMatch(/^[a-zA-Z]+$/);
    }
    expect(() => propertyPanel('no-such-type')).toThrow(/unknown/);
  });
});

describe('panelForTarget', () => {
  const def = { pages: [{ name: 'p1', elements: [{ type: 'text', name: 'n', inputType: 'number' }, { type: 'paneldynamic', name: 'm', templateElements: [{ type: 'rating', name: 'r' }] }] }] };
  it('gives the panel of an element, a page, the survey, and of template members by type', () => {
    const { panelForTarget } = jest.requireActual<typeof import('../../../common/designer/properties')>('../../../common/designer/properties');
    expect(panelFields(panelForTarget(def, { kind: 'element', name: 'n', type: 'text' })).map((f) => f.name)).toContain('step');
    expect(panelForTarget(def, { kind: 'page', name: 'p1' }).className).toBe('page');
    expect(panelFields(panelForTarget(def, { kind: 'page', name: 'p1' })).map((f) => f.name)).toEqual(expect.arrayContaining(['title', 'visibleIf']));
    expect(panelFields(panelForTarget(def, { kind: 'survey' })).map((f) => f.name)).toEqual(expect.arrayContaining(['title', 'locale']));
    expect(panelFields(panelForTarget(def, { kind: 'element', name: 'r', type: 'rating' })).map((f) => f.name)).toContain('rateMax');
  });
});
