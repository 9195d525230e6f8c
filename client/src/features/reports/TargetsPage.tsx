/**
 * Indicator and target configuration: the indicators (built-in and configured), their targets
 * per scope (org unit, unit group, default) × period type, and work-plan counts of the chosen
 * unit and period. The server decides who may write (system-wide admin for targets); the screen
 * says so instead of offering buttons that would fail.
 */
import { useState, type FormEvent } from 'react';
import type { FormSummary, IndicatorDef, OrgUnitDto, OrgUnitGroupDto, StoredTargetDto, TargetScopeDto } from '../../../../common/api/reports';
import { TARGET_OPS, type TargetOp } from '../../../../common/stats';
import { describeError } from '../../api/staff';
import { reportsApi } from '../../api/reports';
import { pickText } from '../../i18n';
import { IndicatorEditor } from './IndicatorEditor';
import { LoadState, useAsync, UnitSelect } from './parts';
import { periodLabel, PICKER_TYPES, type PeriodType } from './periods';
import { OP_SYMBOL, targetText } from './status';
import { reportsStrings } from './strings';

/** "98" (percent, as typed) → 0.98; null when not a number in 0–100. */
export function parsePercent(text: string): number | null {
  const v = Number(text.trim().replace('%', ''));
  if (text.trim() === '' || !Number.isFinite(v) || v < 0 || v > 100) return null;
  return Number((v / 100).toPrecision(12));
}

/**
 * The definition to send back with changed parameters: the stored fields without the server's
 * bookkeeping (`id` is in the path; builtIn/createdAt/updatedAt are not part of a definition).
 */
export function editedDefinition(def: IndicatorDef, change: { nameZh: string; theta?: number; cut?: number; displayDecimals: number }): Record<string, unknown> {
  const { id: _id, builtIn: _b, createdAt: _c, updatedAt: _u, ...rest } = def as IndicatorDef & { createdAt?: unknown; updatedAt?: unknown };
  const rule: Record<string, unknown> = { ...def.rule };
  if (change.theta !== undefined && rule.type === 'score_threshold') rule.theta = change.theta;
  if (change.cut !== undefined && 'cut' in rule) rule.cut = change.cut;
  return { ...rest, name: { ...def.name, zh: change.nameZh }, rule, displayDecimals: change.displayDecimals };
}

function IndicatorParams({ indicator, onSaved }: { indicator: IndicatorDef; onSaved: () => void }) {
  const { t, lang } = reportsStrings.useStrings();
  const rule = indicator.rule as { type: string; theta?: number; cut?: number };
  const [nameZh, setNameZh] = useState(indicator.name.zh);
  const [theta, setTheta] = useState(rule.theta !== undefined ? String(Number((rule.theta * 100).toPrecision(10))) : '');
  const [cut, setCut] = useState(rule.cut !== undefined ? String(rule.cut) : '');
  const [decimals, setDecimals] = useState(String(indicator.displayDecimals));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const th = rule.theta !== undefined ? parsePercent(theta) : undefined;
    const c = rule.cut !== undefined ? Number(cut) : undefined;
    const d = Number(decimals);
    if (!nameZh.trim() || th === null || (th !== undefined && th <= 0) || (c !== undefined && !(Number.isInteger(c) && c >= 1 && c <= 5)) || !(Number.isInteger(d) && d >= 0 && d <= 4)) {
      return setMessage({ ok: false, text: t('wpInvalid') });
    }
    setBusy(true);
    try {
      await reportsApi.putIndicator(indicator.id, editedDefinition(indicator, { nameZh: nameZh.trim(), ...(th !== undefined ? { theta: th } : {}), ...(c !== undefined ? { cut: c } : {}), displayDecimals: d }));
      setMessage({ ok: true, text: t('saved') });
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: describeError(err, lang) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="cwc-filters" onSubmit={(e) => void save(e)} data-testid={`indicator-form-${indicator.id}`}>
      <label className="cw-field"><span>{t('wpName')}</span><input value={nameZh} onChange={(e) => setNameZh(e.target.value)} data-testid="ind-name" /></label>
      {rule.theta !== undefined ? (
        <label className="cw-field"><span>{t('ruleTheta')}</span><input inputMode="decimal" value={theta} onChange={(e) => setTheta(e.target.value)} data-testid="ind-theta" /></label>
      ) : null}
      {rule.cut !== undefined ? (
        <label className="cw-field"><span>{t('ruleCut')}</span>
          <select value={cut} onChange={(e) => setCut(e.target.value)} data-testid="ind-cut">
            {[5, 4, 3].map((v) => <option key={v} value={v}>{`≥ ${v}`}</option>)}
          </select>
        </label>
      ) : null}
      <label className="cw-field"><span>{t('ruleDecimals')}</span>
        <select value={decimals} onChange={(e) => setDecimals(e.target.value)} data-testid="ind-decimals">
          {[0, 1, 2, 3, 4].map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      </label>
      <button type="submit" className="cw-btn cw-btn--secondary" disabled={busy} data-testid="ind-save">{t('saveIndicator')}</button>
      <p className="cw-note">{t('indicatorRecompute')}</p>
      {message ? <p className={message.ok ? 'cwc-ok' : 'cw-error'} role="status" data-testid="ind-message">{message.text}</p> : null}
    </form>
  );
}

function scopeText(scope: TargetScopeDto, units: ReadonlyMap<string, OrgUnitDto>, groups: readonly OrgUnitGroupDto[], t: ReturnType<typeof reportsStrings.useStrings>['t'], lang: 'zh' | 'en'): string {
  if (scope.kind === 'default') return t('scope_default');
  if (scope.kind === 'org_unit') return `${t('scope_org_unit')}:${units.get(scope.id) ? pickText(units.get(scope.id)!.name, lang) : scope.id}`;
  const g = groups.find((x) => x.id === scope.id);
  return `${t('scope_group')}:${g ? pickText(g.name, lang) : scope.id}`;
}

function TargetEditor({ indicator, units, groups, forms, canEdit, onIndicatorSaved }: { indicator: IndicatorDef; units: readonly OrgUnitDto[]; groups: readonly OrgUnitGroupDto[]; forms: readonly FormSummary[]; canEdit: boolean; onIndicatorSaved: () => void }) {
  const { t, lang } = reportsStrings.useStrings();
  const [editing, setEditing] = useState(false);
  const [defMessage, setDefMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const removeIndicator = async () => {
    if (!window.confirm(t('indDeleteConfirm', { name: pickText(indicator.name, lang) }))) return;
    try {
      await reportsApi.deleteIndicator(indicator.id);
      onIndicatorSaved();
    } catch (err) {
      setDefMessage({ ok: false, text: describeError(err, lang) });
    }
  };
  const unitMap = new Map(units.map((u) => [u.id, u]));
  const targets = useAsync(() => reportsApi.targets(indicator.id), [indicator.id], lang);
  const [kind, setKind] = useState<TargetScopeDto['kind']>('default');
  const [scopeId, setScopeId] = useState('');
  const [periodType, setPeriodType] = useState<PeriodType | ''>('');
  const [op, setOp] = useState<TargetOp>('>=');
  const [value, setValue] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const v = parsePercent(value);
    if (v === null) return setMessage({ ok: false, text: t('targetValueInvalid') });
    const id = scopeId || (kind === 'org_unit' ? units[0]?.id : groups[0]?.id) || '';
    const scope: TargetScopeDto = kind === 'default' ? { kind } : { kind, id };
    try {
      await reportsApi.putTarget(indicator.id, { scope, periodType: periodType || null, op, value: v });
      setMessage({ ok: true, text: t('saved') });
      targets.reload();
    } catch (err) {
      setMessage({ ok: false, text: describeError(err, lang) });
    }
  };
  const remove = async (tg: StoredTargetDto) => {
    try {
      await reportsApi.deleteTarget(indicator.id, tg.scope, tg.periodType);
      targets.reload();
    } catch (err) {
      setMessage({ ok: false, text: describeError(err, lang) });
    }
  };

  return (
    <div className="cwc-card" data-testid={`targets-${indicator.id}`}>
      <h3>{pickText(indicator.name, lang)}{indicator.builtIn ? <span className="cwc-badge"> {t('builtIn')}</span> : null}</h3>
      <p className="cw-note">{t('ruleLabel')}:{t(`rule_${indicator.rule.type}` as Parameters<typeof t>[0])} · {t('formsLabel')}:{indicator.formSlugs.join('、')}</p>
      {canEdit ? (
        <div className="cwc-filters">
          <button type="button" className="cw-btn cw-btn--secondary" aria-expanded={editing} onClick={() => setEditing(!editing)} data-testid={`ind-edit-${indicator.id}`}>{t('indEdit')}</button>
          {!indicator.builtIn ? <button type="button" className="cw-btn cw-btn--danger" onClick={() => void removeIndicator()} data-testid={`ind-delete-${indicator.id}`}>{t('indDelete')}</button> : null}
        </div>
      ) : null}
      {defMessage ? <p className={defMessage.ok ? 'cwc-ok' : 'cw-error'} role="status" data-testid={`ind-def-message-${indicator.id}`}>{defMessage.text}</p> : null}
      {canEdit && editing ? (
        <IndicatorEditor initial={indicator} forms={forms} onCancel={() => setEditing(false)}
          onSaved={() => { setEditing(false); setDefMessage({ ok: true, text: t('saved') }); onIndicatorSaved(); }} />
      ) : null}
      {canEdit && !editing ? <IndicatorParams indicator={indicator} onSaved={onIndicatorSaved} /> : null}
      <LoadState state={targets}>
        {targets.data && targets.data.length === 0 ? <p className="cw-note">{t('noTargets')}</p> : null}
        {targets.data && targets.data.length > 0 ? (
          <table className="cwc-table" data-testid={`targets-table-${indicator.id}`}>
            <thead><tr><th scope="col">{t('targetScope')}</th><th scope="col">{t('targetPeriodType')}</th><th scope="col">{t('target')}</th>{canEdit ? <th scope="col" /> : null}</tr></thead>
            <tbody>
              {targets.data.map((tg) => (
                <tr key={`${JSON.stringify(tg.scope)}|${tg.periodType}`}>
                  <td>{scopeText(tg.scope, unitMap, groups, t, lang)}</td>
                  <td>{tg.periodType ? t(`periodType_${tg.periodType}`) : t('anyPeriod')}</td>
                  <td>{targetText(tg.target)}</td>
                  {canEdit ? <td><button type="button" className="cw-btn cw-btn--danger" onClick={() => void remove(tg)}>{t('remove')}</button></td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </LoadState>
      {canEdit ? (
        <form className="cwc-filters" onSubmit={(e) => void save(e)} data-testid={`target-form-${indicator.id}`}>
          <label className="cw-field">
            <span>{t('targetScope')}</span>
            <select value={kind} onChange={(e) => { setKind(e.target.value as TargetScopeDto['kind']); setScopeId(''); }} data-testid="target-scope-kind">
              <option value="default">{t('scope_default')}</option>
              <option value="org_unit">{t('scope_org_unit')}</option>
              {groups.length > 0 ? <option value="group">{t('scope_group')}</option> : null}
            </select>
          </label>
          {kind === 'org_unit' ? <UnitSelect units={units} value={scopeId || units[0]?.id || ''} onChange={setScopeId} label={t('scope_org_unit')} testId="target-scope-unit" /> : null}
          {kind === 'group' ? (
            <label className="cw-field">
              <span>{t('scope_group')}</span>
              <select value={scopeId || groups[0]?.id || ''} onChange={(e) => setScopeId(e.target.value)}>
                {groups.map((g) => <option key={g.id} value={g.id}>{pickText(g.name, lang)}</option>)}
              </select>
            </label>
          ) : null}
          <label className="cw-field">
            <span>{t('targetPeriodType')}</span>
            <select value={periodType} onChange={(e) => setPeriodType(e.target.value as PeriodType | '')} data-testid="target-period-type">
              <option value="">{t('anyPeriod')}</option>
              {PICKER_TYPES.map((p) => <option key={p} value={p}>{t(`periodType_${p}`)}</option>)}
            </select>
          </label>
          <label className="cw-field">
            <span>{t('targetOp')}</span>
            <select value={op} onChange={(e) => setOp(e.target.value as TargetOp)} data-testid="target-op">
              {TARGET_OPS.map((o) => <option key={o} value={o}>{OP_SYMBOL[o]}</option>)}
            </select>
          </label>
          <label className="cw-field">
            <span>{t('targetValue')}</span>
            <input inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} data-testid="target-value" />
          </label>
          <button type="submit" className="cw-btn" data-testid="target-save">{t('save')}</button>
          {message ? <p className={message.ok ? 'cwc-ok' : 'cw-error'} role="status" data-testid="target-message">{message.text}</p> : null}
        </form>
      ) : null}
    </div>
  );
}

function WorkPlanEditor({ unitId, period, canEdit }: { unitId: string; period: string; canEdit: boolean }) {
  const { t, lang } = reportsStrings.useStrings();
  const list = useAsync(() => reportsApi.workPlan(unitId, period), [unitId, period], lang);
  const [f, setF] = useState({ key: '', name: '', value: '', denominator: '', op: '>=' as TargetOp, target: '' });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const value = Number(f.value);
    const denominator = f.denominator.trim() === '' ? null : Number(f.denominator);
    const targetRaw = f.target.trim() === '' ? null : denominator !== null ? parsePercent(f.target) : Number(f.target);
    if (!/^[a-z][a-z0-9_-]{0,62}$/.test(f.key) || !f.name.trim() || !Number.isFinite(value) || value < 0
      || (denominator !== null && !(denominator > 0)) || (f.target.trim() !== '' && (targetRaw === null || !Number.isFinite(targetRaw)))) {
      return setMessage({ ok: false, text: t('wpInvalid') });
    }
    try {
      await reportsApi.putWorkPlan({ orgUnitId: unitId, period, key: f.key, name: { zh: f.name.trim() }, value, denominator, target: targetRaw === null ? null : { op: f.op, value: targetRaw } });
      setMessage({ ok: true, text: t('saved') });
      list.reload();
    } catch (err) {
      setMessage({ ok: false, text: describeError(err, lang) });
    }
  };
  return (
    <div className="cwc-card" data-testid="work-plan-editor">
      <h3>{t('workPlanEdit')} · {periodLabel(period, lang)}</h3>
      <LoadState state={list}>
        {list.data && list.data.length > 0 ? (
          <table className="cwc-table">
            <thead><tr><th scope="col">{t('wpName')}</th><th scope="col">{t('wpValue')}</th><th scope="col">{t('target')}</th>{canEdit ? <th scope="col" /> : null}</tr></thead>
            <tbody>
              {list.data.map((w) => (
                <tr key={w.key}>
                  <td>{pickText(w.name, lang)} <small className="cw-note">({w.key})</small></td>
                  <td>{w.text}</td>
                  <td>{w.target ? (w.denominator ? targetText(w.target) : `${OP_SYMBOL[w.target.op]}${w.target.value}`) : t('noTarget')}</td>
                  {canEdit ? (
                    <td><button type="button" className="cw-btn cw-btn--danger" onClick={() => void reportsApi.deleteWorkPlan(unitId, period, w.key).then(list.reload, (err: unknown) => setMessage({ ok: false, text: describeError(err, lang) }))}>{t('remove')}</button></td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p className="cw-note">{t('workPlanNone')}</p>}
      </LoadState>
      {canEdit ? (
        <form className="cwc-filters" onSubmit={(e) => void save(e)} data-testid="work-plan-form">
          {([['key', 'wpKey'], ['name', 'wpName'], ['value', 'wpValue'], ['denominator', 'wpDenominator']] as const).map(([k, label]) => (
            <label key={k} className="cw-field">
              <span>{t(label)}</span>
              <input value={f[k]} onChange={(e) => setF({ ...f, [k]: e.target.value })} inputMode={k === 'value' || k === 'denominator' ? 'decimal' : undefined} data-testid={`wp-${k}`} />
            </label>
          ))}
          <label className="cw-field">
            <span>{t('wpTargetOp')}</span>
            <select value={f.op} onChange={(e) => setF({ ...f, op: e.target.value as TargetOp })}>
              {TARGET_OPS.map((o) => <option key={o} value={o}>{OP_SYMBOL[o]}</option>)}
            </select>
          </label>
          <label className="cw-field">
            <span>{t('wpTargetValue')}</span>
            <input value={f.target} onChange={(e) => setF({ ...f, target: e.target.value })} inputMode="decimal" data-testid="wp-target" />
          </label>
          <button type="submit" className="cw-btn" data-testid="wp-save">{t('save')}</button>
          {message ? <p className={message.ok ? 'cwc-ok' : 'cw-error'} role="status" data-testid="wp-message">{message.text}</p> : null}
        </form>
      ) : null}
    </div>
  );
}

export function TargetsPage({ units, unitId, period, isGlobalAdmin, isAdmin }: { units: readonly OrgUnitDto[]; unitId: string; period: string; isGlobalAdmin: boolean; isAdmin: boolean }) {
  const { t, lang } = reportsStrings.useStrings();
  const indicators = useAsync(() => reportsApi.indicators(), [], lang);
  const groups = useAsync(() => reportsApi.orgUnitGroups().catch(() => [] as OrgUnitGroupDto[]), [], lang);
  const forms = useAsync(() => reportsApi.forms().catch(() => [] as FormSummary[]), [], lang);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <section data-testid="targets-page">
      <h2>{t('targetsTitle')}</h2>
      {!isGlobalAdmin ? <p className="cw-note" data-testid="targets-readonly">{t('adminOnly')}</p> : null}
      {isGlobalAdmin && !creating ? (
        <button type="button" className="cw-btn" onClick={() => { setCreating(true); setCreated(null); }} data-testid="ind-new">{t('indNew')}</button>
      ) : null}
      {created ? <p className="cwc-ok" role="status" data-testid="ind-created">{t('saved')}:{created}</p> : null}
      {isGlobalAdmin && creating ? (
        <IndicatorEditor forms={forms.data ?? []} onCancel={() => setCreating(false)}
          onSaved={(def) => { setCreating(false); setCreated(pickText(def.name, lang)); indicators.reload(); }} />
      ) : null}
      <LoadState state={indicators}>
        {(indicators.data ?? []).map((i) => <TargetEditor key={i.id} indicator={i} units={units} groups={groups.data ?? []} forms={forms.data ?? []} canEdit={isGlobalAdmin} onIndicatorSaved={indicators.reload} />)}
      </LoadState>
      <WorkPlanEditor unitId={unitId} period={period} canEdit={isAdmin} />
    </section>
  );
}
