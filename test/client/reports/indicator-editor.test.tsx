/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { IndicatorEditor, type IndicatorEditorApi } from '../../../client/src/features/reports/IndicatorEditor';
import { draftFromDefinition, draftToInput, emptyDraft, formInfo, validateDraft } from '../../../client/src/features/reports/indicator-model';
import { I18nProvider } from '../../../client/src/i18n';
import { ApiError } from '../../../client/src/api/staff';
import type { FormSummary, IndicatorDef } from '../../../common/api/reports';
import knowledgeQuiz from '../../../form-definitions/knowledge-quiz.json';
import satisfactionSurvey from '../../../form-definitions/satisfaction-survey.json';

// (the JSON files directly: form-definitions/index.ts uses structuredClone, which jsdom lacks)
const quiz = knowledgeQuiz.definition as unknown as Record<string, unknown>;
const sat = satisfactionSurvey.definition as unknown as Record<string, unknown>;
const forms: FormSummary[] = [
  { id: 'f-quiz', slug: 'knowledge-quiz', kind: 'knowledge', title: { zh: '人口计生知识问卷' }, latestVersion: 3 },
  { id: 'f-draft', slug: 'draft-quiz', kind: 'knowledge', title: { zh: '未发布问卷' }, latestVersion: null },
  { id: 'f-sat', slug: 'satisfaction-survey', kind: 'satisfaction', title: { zh: '满意度调查' }, latestVersion: 1 },
];

function fakeApi(overrides: Partial<IndicatorEditorApi> = {}) {
  const api = {
    createIndicator: jest.fn(async (d: Record<string, unknown>) => ({ ...d, builtIn: false }) as unknown as IndicatorDef),
    putIndicator: jest.fn(async (id: string, d: Record<string, unknown>) => ({ ...d, id, builtIn: true }) as unknown as IndicatorDef),
    formVersion: jest.fn(async (formId: string) => ({ definition: formId === 'f-quiz' ? quiz : sat })),
    ...overrides,
  };
  return api;
}

function setup(props: { initial?: IndicatorDef; api?: ReturnType<typeof fakeApi> } = {}) {
  const api = props.api ?? fakeApi();
  const onSaved = jest.fn();
  const onCancel = jest.fn();
  render(<I18nProvider><IndicatorEditor forms={forms} api={api} onSaved={onSaved} onCancel={onCancel} {...(props.initial ? { initial: props.initial } : {})} /></I18nProvider>);
  return { api, onSaved, onCancel };
}
const change = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

afterEach(() => localStorage.clear());

describe('IndicatorEditor', () => {
  it('offers only published forms of the kind; each rule shows its own parameter fields', async () => {
    const { api } = setup();
    expect(screen.getByTestId('ie-form-knowledge-quiz')).toBeTruthy();
    expect(screen.queryByTestId('ie-form-draft-quiz')).toBeNull(); // not published
    expect(screen.queryByTestId('ie-form-satisfaction-survey')).toBeNull(); // other kind
    const ruleOptions = () => Array.from((screen.getByTestId('ie-rule') as HTMLSelectElement).options).map((o) => o.value);
    expect(ruleOptions()).toEqual(['score_threshold', 'n_of_m', 'all_core']);
    expect(screen.getByTestId('ie-theta')).toBeTruthy();
    expect(screen.queryByTestId('ie-n')).toBeNull();

    change('ie-rule', 'n_of_m');
    expect(screen.queryByTestId('ie-theta')).toBeNull();
    expect(screen.getByTestId('ie-n')).toBeTruthy();
    expect(screen.getByTestId('ie-items-need-form')).toBeTruthy();
    fireEvent.click(screen.getByTestId('ie-form-knowledge-quiz'));
    // the scored questions of the published version, with their titles, in form order
    await screen.findByTestId('ie-item-q01_birth_policy');
    expect(api.formVersion).toHaveBeenCalledWith('f-quiz', 3);
    expect(api.formVersion).toHaveBeenCalledTimes(1);
    const items = within(screen.getByTestId('ie-items')).getAllByRole('checkbox').map((c) => c.getAttribute('data-testid'));
    expect(items).toHaveLength(16);
    expect(items[0]).toBe('ie-item-q01_birth_policy');
    expect(screen.queryByTestId('ie-item-age_band')).toBeNull(); // not scored
    expect(screen.getByTestId('ie-item-q01_birth_policy').parentElement!.textContent).toMatch(/\S+.*\(q01_birth_policy\)/);

    change('ie-rule', 'all_core');
    expect(screen.getByTestId('ie-items')).toBeTruthy();
    expect(screen.queryByTestId('ie-n')).toBeNull();

    // satisfaction rules
    change('ie-kind', 'satisfaction');
    expect(ruleOptions()).toEqual(['top_box', 'all_dimensions', 'weighted_index', 'mean_score']);
    expect(screen.getByTestId('ie-cut')).toBeTruthy();
    expect(screen.queryByTestId('ie-items')).toBeNull();
    change('ie-rule', 'mean_score');
    expect(screen.queryByTestId('ie-cut')).toBeNull();
    expect(Array.from((screen.getByTestId('ie-transform') as HTMLSelectElement).options).map((o) => o.value)).toEqual(['scaled_0_100', 'times_20', 'raw']);
    change('ie-rule', 'weighted_index');
    expect(screen.getByTestId('ie-cut')).toBeTruthy();
    fireEvent.click(screen.getByTestId('ie-form-satisfaction-survey'));
    await screen.findByTestId('ie-weight-overall');
    expect(screen.getByTestId('ie-weight-attitude')).toBeTruthy();
    change('ie-rule', 'all_dimensions');
    expect(screen.queryByTestId('ie-weight-overall')).toBeNull();
    expect(screen.getByTestId('ie-recompute').textContent).toContain('重新计算');
  });

  it('shows the zod problems of the shared schema and sends nothing', async () => {
    const { api } = setup();
    fireEvent.click(screen.getByTestId('ie-save'));
    const problems = await screen.findByTestId('ie-problems');
    const paths = Array.from(problems.querySelectorAll('li')).map((li) => li.getAttribute('data-path'));
    expect(paths).toEqual(expect.arrayContaining(['id', 'name.zh', 'formSlugs']));
    expect(problems.textContent).toContain('指标编号');
    expect(problems.textContent).toContain('问卷');
    // n greater than the number of core items: the schema's own refinement
    change('ie-id', 'core3');
    change('ie-name-zh', '核心知识知晓率');
    change('ie-rule', 'n_of_m');
    fireEvent.click(screen.getByTestId('ie-form-knowledge-quiz'));
    fireEvent.click(await screen.findByTestId('ie-item-q01_birth_policy'));
    change('ie-n', '3');
    fireEvent.click(screen.getByTestId('ie-save'));
    await waitFor(() => expect(screen.getByTestId('ie-problems').textContent).toContain('n cannot exceed the number of core items'));
    expect(screen.getByTestId('ie-problems').querySelector('li')!.getAttribute('data-path')).toBe('rule.n');
    expect(api.createIndicator).not.toHaveBeenCalled();
  });

  it('sends the definition: forms, n_of_m items, switches, share, eligibility with typed values, basis, decimals', async () => {
    const { api, onSaved } = setup();
    change('ie-id', 'core-aware');
    change('ie-name-zh', '核心知识知晓率');
    change('ie-name-en', 'Core awareness');
    change('ie-rule', 'n_of_m');
    fireEvent.click(screen.getByTestId('ie-form-knowledge-quiz'));
    for (const q of ['q01_birth_policy', 'q03_birth_registration', 'q06_prenatal_visits']) fireEvent.click(await screen.findByTestId(`ie-item-${q}`));
    change('ie-n', '2');
    change('ie-missing-dontKnow', 'excluded');
    change('ie-min-answered', '60');
    fireEvent.click(screen.getByTestId('ie-elig-add'));
    change('ie-elig-q-0', 'sex');
    fireEvent.click(screen.getByTestId('ie-elig-v-0-female'));
    fireEvent.click(screen.getByTestId('ie-elig-add'));
    change('ie-elig-q-1', 'q03_birth_registration');
    fireEvent.click(screen.getByTestId('ie-elig-v-1-true'));
    change('ie-basis', 'registered');
    change('ie-decimals', '2');
    await act(async () => { fireEvent.click(screen.getByTestId('ie-save')); });
    expect(screen.queryByTestId('ie-problems')).toBeNull();
    expect(api.createIndicator).toHaveBeenCalledWith({
      id: 'core-aware',
      name: { zh: '核心知识知晓率', en: 'Core awareness' },
      formSlugs: ['knowledge-quiz'],
      kind: 'knowledge',
      rule: { type: 'n_of_m', items: ['q01_birth_policy', 'q03_birth_registration', 'q06_prenatal_visits'], n: 2 },
      missing: { dontKnow: 'excluded' },
      minAnsweredShare: 0.6,
      eligibility: [{ question: 'sex', values: ['female'] }, { question: 'q03_birth_registration', values: [true] }],
      populationBasis: 'registered',
      displayDecimals: 2,
    });
    expect(onSaved).toHaveBeenCalledTimes(1);
  });

  it('edits a stored definition with PUT (id in the path, not in the body)', async () => {
    const stored = {
      id: 'satisfaction', name: { zh: '群众满意率', en: 'Public satisfaction rate' }, formSlugs: ['satisfaction-survey'], kind: 'satisfaction',
      rule: { type: 'top_box', cut: 4 }, missing: {}, answerCodes: { dontKnow: ['dont_know'], notApplicable: ['na'] }, minAnsweredShare: 0.8,
      minValidRatings: 1, eligibility: [], populationBasis: 'all', displayDecimals: 1, builtIn: true,
    } as unknown as IndicatorDef;
    const { api } = setup({ initial: stored });
    expect((screen.getByTestId('ie-id') as HTMLInputElement).readOnly).toBe(true);
    expect((screen.getByTestId('ie-cut') as HTMLSelectElement).value).toBe('4');
    change('ie-cut', '5');
    change('ie-basis', 'resident');
    await act(async () => { fireEvent.click(screen.getByTestId('ie-save')); });
    expect(api.putIndicator).toHaveBeenCalledTimes(1);
    const [id, body] = (api.putIndicator as jest.Mock).mock.calls[0] as [string, Record<string, unknown>];
    expect(id).toBe('satisfaction');
    expect(body).not.toHaveProperty('id');
    expect(body).toMatchObject({ rule: { type: 'top_box', cut: 5 }, populationBasis: 'resident', formSlugs: ['satisfaction-survey'], name: { zh: '群众满意率', en: 'Public satisfaction rate' } });
    // fields the editor does not show are sent back as stored
    expect(body).toMatchObject({ answerCodes: { dontKnow: ['dont_know'], notApplicable: ['na'] }, minValidRatings: 1 });
  });

  it('shows the server refusal with its details, in Chinese and in English', async () => {
    const refuse = () => Promise.reject(new ApiError('INDICATOR_DOES_NOT_FIT', 'does not fit', 422, { problems: ['knowledge-quiz: core item "q99" is not a scored question'] }));
    const api = fakeApi({ createIndicator: jest.fn(refuse) });
    setup({ api });
    change('ie-id', 'x1');
    change('ie-name-zh', '测试');
    fireEvent.click(screen.getByTestId('ie-form-knowledge-quiz'));
    await screen.findByTestId('ie-form-knowledge-quiz');
    await act(async () => { fireEvent.click(screen.getByTestId('ie-save')); });
    const err = await screen.findByTestId('ie-server-error');
    expect(err.textContent).toContain('指标与问卷不匹配');
    expect(err.textContent).toContain('core item "q99" is not a scored question');
  });

  it('English: the same refusal reads in English', async () => {
    localStorage.setItem('cunwen:lang', 'en');
    const api = fakeApi({ createIndicator: jest.fn(() => Promise.reject(new ApiError('INDICATOR_EXISTS', 'exists', 409, { id: 'x1' }))) });
    setup({ api });
    change('ie-id', 'x1');
    change('ie-name-zh', '测试');
    fireEvent.click(screen.getByTestId('ie-form-knowledge-quiz'));
    await act(async () => { fireEvent.click(screen.getByTestId('ie-save')); });
    expect((await screen.findByTestId('ie-server-error')).textContent).toContain('An indicator with this id already exists');
    expect(screen.getByTestId('ie-recompute').textContent).toContain('recompute');
  });
});

describe('indicator-model', () => {
  it('a stored definition round-trips through the draft', () => {
    const def = {
      id: 'wi', name: { zh: '加权' }, formSlugs: ['satisfaction-survey'], kind: 'satisfaction', rule: { type: 'weighted_index', cut: 4, weights: { overall: 2, attitude: 1 } },
      missing: { skipped: 'incorrect' }, minAnsweredShare: 0.5, eligibility: [{ question: 'sex', values: ['male'] }], populationBasis: 'in_migrant', displayDecimals: 0, builtIn: false, minValidRatings: 2,
    } as unknown as IndicatorDef;
    const info = formInfo([sat], 'zh');
    const input = draftToInput(draftFromDefinition(def), info);
    expect(input).toEqual({
      id: 'wi', name: { zh: '加权' }, formSlugs: ['satisfaction-survey'], kind: 'satisfaction', rule: { type: 'weighted_index', cut: 4, weights: { overall: 2, attitude: 1 } },
      missing: { skipped: 'incorrect' }, minAnsweredShare: 0.5, eligibility: [{ question: 'sex', values: ['male'] }], populationBasis: 'in_migrant', displayDecimals: 0, minValidRatings: 2,
    });
    expect(validateDraft(draftFromDefinition(def), info)).toMatchObject({ ok: true });
  });

  it('keeps the dimensions in scope of a top_box rule', () => {
    const def = { id: 'tb', name: { zh: '服务满意率' }, formSlugs: ['satisfaction-survey'], kind: 'satisfaction', rule: { type: 'top_box', cut: 4, dimensions: ['attitude'] }, displayDecimals: 1, builtIn: false } as unknown as IndicatorDef;
    expect(draftToInput(draftFromDefinition(def)).rule).toEqual({ type: 'top_box', cut: 4, dimensions: ['attitude'] });
  });

  it('core items must be scored questions of the chosen forms', () => {
    const d = { ...emptyDraft('knowledge'), id: 'k1', nameZh: 'k', formSlugs: ['knowledge-quiz'], ruleType: 'all_core' as const, items: ['age_band'] };
    const r = validateDraft(d, formInfo([quiz], 'zh'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ path: 'rule.items', message: expect.stringContaining('age_band') }]);
  });
});
