/**
 * Create or edit an indicator definition (issue 5): the form(s) — published forms of the
 * indicator's kind —, the rule and its parameters (θ; core items picked from the form's scored
 * questions with their titles; the satisfaction cut; weights per dimension; the declared mean
 * transform), the missing-answer switches, the minimum answered share, the eligibility filter,
 * the population basis and the display decimals. Checked on the client with the server's own
 * zod schema before sending; the server's refusals are shown too (zh-CN / English). Saving makes
 * the server recompute the rollups.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { FormSummary, IndicatorDef } from '../../../../common/api/reports';
import {
  KNOWLEDGE_MISSING_DEFAULTS,
  MEAN_TRANSFORMS,
  MEAN_TRANSFORM_LABELS,
  POPULATION_BASES,
  POPULATION_BASIS_LABELS,
  SATISFACTION_MISSING_DEFAULTS,
  type MeanTransform,
} from '../../../../common/scoring';
import { ApiError, describeError } from '../../api/staff';
import { reportsApi } from '../../api/reports';
import { pickText } from '../../i18n';
import {
  MISSING_KEYS,
  RULES_BY_KIND,
  draftFromDefinition,
  emptyDraft,
  formInfo,
  problemField,
  validateDraft,
  type DraftProblem,
  type IndicatorDraft,
  type IndicatorKind,
  type MissingChoice,
  type PopulationBasis,
  type RuleType,
} from './indicator-model';
import { dimensionLabel } from './chart-options';
import { reportsStrings, type ReportsKey } from './strings';

export interface IndicatorEditorApi {
  createIndicator(definition: Record<string, unknown>): Promise<IndicatorDef>;
  putIndicator(id: string, definition: Record<string, unknown>): Promise<IndicatorDef>;
  formVersion(formId: string, version: number): Promise<{ definition: Record<string, unknown> }>;
}

export interface IndicatorEditorProps {
  /** the stored definition when editing; absent when creating */
  initial?: IndicatorDef;
  forms: readonly FormSummary[];
  onSaved: (def: IndicatorDef) => void;
  onCancel: () => void;
  /** injected in tests */
  api?: IndicatorEditorApi;
}

/** The lines a server refusal adds to its message: validation issues or "does not fit" problems. */
export function serverDetails(err: unknown): string[] {
  if (!(err instanceof ApiError) || !err.details || typeof err.details !== 'object') return [];
  const d = err.details as { issues?: unknown; problems?: unknown };
  const out: string[] = [];
  if (Array.isArray(d.issues)) for (const i of d.issues) if (i && typeof i === 'object') out.push(`${String((i as { path?: unknown }).path ?? '')}: ${String((i as { message?: unknown }).message ?? '')}`);
  if (Array.isArray(d.problems)) for (const p of d.problems) out.push(String(p));
  return out;
}

export function IndicatorEditor({ initial, forms, onSaved, onCancel, api = reportsApi }: IndicatorEditorProps) {
  const { t, lang } = reportsStrings.useStrings();
  const editing = initial !== undefined;
  const [d, setD] = useState<IndicatorDraft>(() => (initial ? draftFromDefinition(initial) : emptyDraft('knowledge')));
  const [definitions, setDefinitions] = useState<Record<string, Record<string, unknown>>>({});
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const [server, setServer] = useState<{ message: string; details: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<IndicatorDraft>) => setD((prev) => ({ ...prev, ...change }));

  const published = forms.filter((f) => f.kind === d.kind && f.latestVersion !== null);
  // read the latest published version of each chosen form (once per slug)
  const requested = useRef(new Set<string>());
  useEffect(() => {
    let live = true;
    for (const slug of d.formSlugs) {
      if (definitions[slug] || requested.current.has(slug)) continue;
      const f = forms.find((x) => x.slug === slug);
      if (!f || f.latestVersion === null) continue;
      requested.current.add(slug);
      api.formVersion(f.id, f.latestVersion).then(
        (v) => setDefinitions((prev) => ({ ...prev, [slug]: v.definition })),
        (err: unknown) => { requested.current.delete(slug); if (live) setServer({ message: describeError(err, lang), details: [] }); },
      );
    }
    return () => { live = false; };
  }, [d.formSlugs, forms, api, lang, definitions]);

  const chosen = d.formSlugs.map((s) => definitions[s]).filter((x): x is Record<string, unknown> => x !== undefined);
  const loaded = chosen.length === d.formSlugs.length && chosen.length > 0;
  const info = useMemo(() => (chosen.length > 0 ? formInfo(chosen, lang) : undefined), [chosen.length, d.formSlugs.join('|'), lang]); // eslint-disable-line react-hooks/exhaustive-deps -- chosen follows the slugs

  const setKind = (kind: IndicatorKind) => set({ kind, ruleType: RULES_BY_KIND[kind][0]!, formSlugs: [], items: [], n: '', weights: {}, eligibility: [], missing: { dontKnow: '', skipped: '', notApplicable: '' }, kept: {} });
  const toggle = <T,>(list: readonly T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const defaults = d.kind === 'knowledge' ? KNOWLEDGE_MISSING_DEFAULTS : SATISFACTION_MISSING_DEFAULTS;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setServer(null);
    const check = validateDraft(d, loaded ? info : undefined);
    if (!check.ok) { setProblems(check.problems); return; }
    setProblems([]);
    setBusy(true);
    try {
      const { id, ...rest } = check.input;
      const saved = editing ? await api.putIndicator(String(id), rest) : await api.createIndicator(check.input);
      onSaved(saved);
    } catch (err) {
      setServer({ message: describeError(err, lang), details: serverDetails(err) });
    } finally {
      setBusy(false);
    }
  };

  const fieldLabel = (p: DraftProblem) => t(`field_${problemField(p.path)}` as ReportsKey);
  const cutSelect = (
    <label className="cw-field"><span>{t('ruleCut')}</span>
      <select value={d.cut} onChange={(e) => set({ cut: e.target.value })} data-testid="ie-cut" aria-describedby="ie-cut-hint">
        {[5, 4, 3, 2].map((v) => <option key={v} value={v}>{`≥ ${v}`}</option>)}
      </select>
      <small id="ie-cut-hint" className="cw-note">{t('indCutHint')}</small>
    </label>
  );

  return (
    <form className="cwc-card rp-ind-editor" onSubmit={(e) => void save(e)} data-testid="indicator-editor" noValidate>
      <h3>{editing ? `${t('indEdit')}:${pickText(initial.name, lang)}` : t('indNew')}</h3>
      <div className="cwc-filters">
        <label className="cw-field"><span>{t('indId')}</span>
          <input value={d.id} onChange={(e) => set({ id: e.target.value })} readOnly={editing} data-testid="ie-id" autoCapitalize="off" spellCheck={false} />
        </label>
        <label className="cw-field"><span>{t('indNameZh')}</span><input value={d.nameZh} onChange={(e) => set({ nameZh: e.target.value })} data-testid="ie-name-zh" /></label>
        <label className="cw-field"><span>{t('indNameEn')}</span><input value={d.nameEn} onChange={(e) => set({ nameEn: e.target.value })} data-testid="ie-name-en" /></label>
        <label className="cw-field"><span>{t('indKind')}</span>
          <select value={d.kind} onChange={(e) => setKind(e.target.value as IndicatorKind)} disabled={editing} data-testid="ie-kind">
            <option value="knowledge">{t('kind_knowledge')}</option>
            <option value="satisfaction">{t('kind_satisfaction')}</option>
          </select>
        </label>
      </div>

      <fieldset className="rp-ind-fieldset" data-testid="ie-forms">
        <legend>{t('indForms')}</legend>
        {published.length === 0 ? <p className="cw-note">{t('indNoForms')}</p> : null}
        {published.map((f) => (
          <label key={f.slug} className="rp-check">
            <input type="checkbox" checked={d.formSlugs.includes(f.slug)} onChange={() => set({ formSlugs: toggle(d.formSlugs, f.slug) })} data-testid={`ie-form-${f.slug}`} />
            {pickText(f.title, lang)} <small className="cw-note">({f.slug} · v{f.latestVersion})</small>
          </label>
        ))}
      </fieldset>

      <fieldset className="rp-ind-fieldset">
        <legend>{t('indRule')}</legend>
        <label className="cw-field"><span>{t('ruleLabel')}</span>
          <select value={d.ruleType} onChange={(e) => set({ ruleType: e.target.value as RuleType })} data-testid="ie-rule">
            {RULES_BY_KIND[d.kind].map((r) => <option key={r} value={r}>{t(`rule_${r}` as ReportsKey)}</option>)}
          </select>
        </label>
        {d.ruleType === 'score_threshold' ? (
          <>
            <label className="cw-field"><span>{t('ruleTheta')}</span><input inputMode="decimal" value={d.theta} onChange={(e) => set({ theta: e.target.value })} data-testid="ie-theta" /></label>
            <label className="rp-check"><input type="checkbox" checked={d.partialCredit} onChange={(e) => set({ partialCredit: e.target.checked })} data-testid="ie-partial" />{t('indPartialCredit')}</label>
          </>
        ) : null}
        {d.ruleType === 'n_of_m' || d.ruleType === 'all_core' ? (
          <div data-testid="ie-items">
            <p className="cw-note">{t('indCoreItems')}</p>
            {!info ? <p className="cw-note" data-testid="ie-items-need-form">{t('indPickForm')}</p> : (
              <ol className="rp-ind-items">
                {info.scored.map((q) => (
                  <li key={q.name}>
                    <label className="rp-check">
                      <input type="checkbox" checked={d.items.includes(q.name)} onChange={() => set({ items: toggle(d.items, q.name) })} data-testid={`ie-item-${q.name}`} />
                      {q.title} <small className="cw-note">({q.name})</small>
                    </label>
                  </li>
                ))}
              </ol>
            )}
            {d.ruleType === 'n_of_m' ? (
              <label className="cw-field"><span>{t('indN')}{d.items.length > 0 ? ` / ${d.items.length}` : ''}</span>
                <input inputMode="numeric" value={d.n} onChange={(e) => set({ n: e.target.value })} data-testid="ie-n" />
              </label>
            ) : null}
          </div>
        ) : null}
        {d.ruleType === 'top_box' || d.ruleType === 'all_dimensions' ? cutSelect : null}
        {d.ruleType === 'weighted_index' ? (
          <div data-testid="ie-weights">
            {cutSelect}
            <p className="cw-note">{t('indWeights')}</p>
            {!info ? <p className="cw-note">{t('indPickForm')}</p> : info.dimensions.map((dim) => (
              <label key={dim} className="cw-field"><span>{dimensionLabel(dim, lang)} <small className="cw-note">({dim})</small></span>
                <input inputMode="decimal" value={d.weights[dim] ?? ''} onChange={(e) => set({ weights: { ...d.weights, [dim]: e.target.value } })} data-testid={`ie-weight-${dim}`} />
              </label>
            ))}
          </div>
        ) : null}
        {d.ruleType === 'mean_score' ? (
          <label className="cw-field"><span>{t('indTransform')}</span>
            <select value={d.transform} onChange={(e) => set({ transform: e.target.value as MeanTransform })} data-testid="ie-transform">
              {MEAN_TRANSFORMS.map((m) => <option key={m} value={m}>{pickText(MEAN_TRANSFORM_LABELS[m], lang)}</option>)}
            </select>
          </label>
        ) : null}
      </fieldset>

      <fieldset className="rp-ind-fieldset">
        <legend>{t('indMissing')}</legend>
        <div className="cwc-filters">
          {MISSING_KEYS.map((k) => (
            <label key={k} className="cw-field"><span>{t(`missing_${k}`)}</span>
              <select value={d.missing[k]} onChange={(e) => set({ missing: { ...d.missing, [k]: e.target.value as MissingChoice } })} data-testid={`ie-missing-${k}`}>
                <option value="">{t('missingDefault', { d: t(`missing_${defaults[k]}`) })}</option>
                <option value="incorrect">{t('missing_incorrect')}</option>
                <option value="excluded">{t('missing_excluded')}</option>
              </select>
            </label>
          ))}
          <label className="cw-field"><span>{t('indMinAnswered')}</span>
            <input inputMode="decimal" value={d.minAnsweredShare} onChange={(e) => set({ minAnsweredShare: e.target.value })} data-testid="ie-min-answered" />
          </label>
        </div>
      </fieldset>

      <fieldset className="rp-ind-fieldset" data-testid="ie-eligibility">
        <legend>{t('indEligibility')}</legend>
        {d.eligibility.length === 0 ? <p className="cw-note">{t('indEligNone')}</p> : null}
        {d.eligibility.map((row, i) => {
          const q = info?.questions.find((x) => x.name === row.question);
          const setRow = (change: Partial<typeof row>) => set({ eligibility: d.eligibility.map((r, j) => (j === i ? { ...r, ...change } : r)) });
          return (
            <div key={i} className="cwc-filters" data-testid={`ie-elig-${i}`}>
              <label className="cw-field"><span>{t('indEligQuestion')}</span>
                <select value={row.question} onChange={(e) => setRow({ question: e.target.value, values: [] })} data-testid={`ie-elig-q-${i}`}>
                  <option value="">—</option>
                  {(info?.questions ?? []).filter((x) => x.choices.length > 0).map((x) => <option key={x.name} value={x.name}>{x.title} ({x.name})</option>)}
                  {row.question && !q ? <option value={row.question}>{row.question}</option> : null}
                </select>
              </label>
              <fieldset className="rp-ind-values"><legend>{t('indEligValues')}</legend>
                {q && q.choices.length > 0 ? q.choices.map((c) => (
                  <label key={c.key} className="rp-check">
                    <input type="checkbox" checked={row.values.includes(c.key)} onChange={() => setRow({ values: toggle(row.values, c.key) })} data-testid={`ie-elig-v-${i}-${c.key}`} />{c.label}
                  </label>
                )) : (
                  <input value={row.values.join(',')} onChange={(e) => setRow({ values: e.target.value.split(/[,,、]/).map((v) => v.trim()).filter(Boolean) })} data-testid={`ie-elig-text-${i}`} />
                )}
              </fieldset>
              <button type="button" className="cw-btn cw-btn--danger" onClick={() => set({ eligibility: d.eligibility.filter((_, j) => j !== i) })} data-testid={`ie-elig-remove-${i}`}>{t('remove')}</button>
            </div>
          );
        })}
        <button type="button" className="cw-btn cw-btn--secondary" onClick={() => set({ eligibility: [...d.eligibility, { question: '', values: [] }] })} data-testid="ie-elig-add">{t('indEligAdd')}</button>
      </fieldset>

      <div className="cwc-filters">
        <label className="cw-field"><span>{t('indBasis')}</span>
          <select value={d.populationBasis} onChange={(e) => set({ populationBasis: e.target.value as PopulationBasis })} data-testid="ie-basis">
            {POPULATION_BASES.map((b) => <option key={b} value={b}>{pickText(POPULATION_BASIS_LABELS[b], lang)}</option>)}
          </select>
        </label>
        <label className="cw-field"><span>{t('indDecimals')}</span>
          <select value={d.displayDecimals} onChange={(e) => set({ displayDecimals: e.target.value })} data-testid="ie-decimals">
            {[0, 1, 2, 3, 4].map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </label>
      </div>

      <p className="cw-note" data-testid="ie-recompute">{t('indRecomputeNote')}</p>
      {problems.length > 0 ? (
        <div className="cw-error" role="alert" data-testid="ie-problems">
          <p>{t('indProblems')}</p>
          <ul>{problems.map((p, i) => <li key={i} data-path={p.path}>{fieldLabel(p)}{p.path.includes('.') ? ` (${p.path})` : ''}:{p.message}</li>)}</ul>
        </div>
      ) : null}
      {server ? (
        <div className="cw-error" role="alert" data-testid="ie-server-error">
          <p>{t('indServerProblems')} {server.message}</p>
          {server.details.length > 0 ? <ul>{server.details.map((x, i) => <li key={i}>{x}</li>)}</ul> : null}
        </div>
      ) : null}
      <div className="cwc-filters">
        <button type="submit" className="cw-btn" disabled={busy} data-testid="ie-save">{editing ? t('indSaveDef') : t('indCreate')}</button>
        <button type="button" className="cw-btn cw-btn--secondary" onClick={onCancel} data-testid="ie-cancel">{t('indCancel')}</button>
      </div>
    </form>
  );
}
