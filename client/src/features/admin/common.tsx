/** Helpers shared by the access screens: loading state, org-unit tree picker, form checklist, times. */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '../../ui';
import { ApiError, describeError } from '../../api/staff';
import type { OrgUnitDto, FormDto } from '../../api/admin';
import { adminStrings } from './strings';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** Runs `load` now and whenever `deps` change; errors become a message in the UI language. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const { lang } = adminStrings.useStrings();
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    loadRef.current().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err: unknown) => live && setState({ data: null, error: describeError(err, lang), loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- deps are the caller's
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** A failure's text: server/client codes through the catalogue, our own checks by their message. */
export function errText(err: unknown, lang: 'zh' | 'en'): string {
  if (!(err instanceof ApiError) && err instanceof Error && err.message) return err.message;
  return describeError(err, lang);
}

export function LoadError({ error, onRetry }: { error: string; onRetry: () => void }) {
  const { t } = adminStrings.useStrings();
  return (
    <div className="cw-row">
      <p className="cw-error" role="alert">{error}</p>
      <Button variant="secondary" onClick={onRetry}>{t('retry')}</Button>
    </div>
  );
}

export function Message({ ok, text, testId }: { ok: boolean; text: string | null; testId?: string }) {
  if (!text) return null;
  return <p className={ok ? 'cwc-ok' : 'cw-error'} role={ok ? 'status' : 'alert'} data-testid={testId}>{text}</p>;
}

/** "2026-11-29 13:05" in China time (zh) or the same instant formatted for English readers. */
export function fmtTime(iso: string | null | undefined, lang: 'zh' | 'en'): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}

/** Org units in tree order (parents before children, siblings by code) with their depth. */
export function treeOrder(units: readonly OrgUnitDto[]): { unit: OrgUnitDto; depth: number }[] {
  const byParent = new Map<string | null, OrgUnitDto[]>();
  const ids = new Set(units.map((u) => u.id));
  for (const u of units) {
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    const list = byParent.get(parent) ?? [];
    list.push(u);
    byParent.set(parent, list);
  }
  const out: { unit: OrgUnitDto; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    const kids = (byParent.get(parent) ?? []).sort((a, b) => a.code.localeCompare(b.code));
    for (const k of kids) {
      out.push({ unit: k, depth });
      walk(k.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function unitName(unit: OrgUnitDto | undefined, lang: 'zh' | 'en'): string {
  if (!unit) return '';
  return lang === 'en' && unit.name.en ? unit.name.en : unit.name.zh;
}

export function unitLabel(units: readonly OrgUnitDto[], id: string | null, lang: 'zh' | 'en', everywhere: string): string {
  if (id === null) return everywhere;
  const u = units.find((x) => x.id === id);
  return u ? unitName(u, lang) : id;
}

/** The org-unit tree as an indented list to pick one unit from (native select: large and keyboard-friendly). */
export function OrgUnitSelect({ units, value, onChange, label, allowNone, noneLabel, levels, testId }: {
  units: readonly OrgUnitDto[];
  value: string;
  onChange: (id: string) => void;
  label: string;
  /** offer an empty choice (e.g. "all" in a filter, or "whole system") */
  allowNone?: boolean;
  noneLabel?: string;
  /** only these levels are selectable (others are shown, disabled, for context) */
  levels?: readonly OrgUnitDto['level'][];
  testId?: string;
}) {
  const { t, lang } = adminStrings.useStrings();
  const rows = treeOrder(units);
  return (
    <label className="cw-field">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {allowNone ? <option value="">{noneLabel ?? t('all')}</option> : <option value="" disabled>{t('pickOrgUnit')}</option>}
        {rows.map(({ unit, depth }) => (
          <option key={unit.id} value={unit.id} disabled={levels ? !levels.includes(unit.level) : false}>
            {`${'\u3000'.repeat(depth)}${unitName(unit, lang)}(${t(`level_${unit.level}`)})`}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FormChecklist({ forms, value, onChange, legend, testId }: {
  forms: readonly FormDto[];
  value: readonly string[];
  onChange: (ids: string[]) => void;
  legend: string;
  testId?: string;
}) {
  const { lang } = adminStrings.useStrings();
  return (
    <fieldset className="cwc-card" data-testid={testId}>
      <legend>{legend}</legend>
      {forms.map((f) => (
        <label key={f.id} className="cw-check">
          <input
            type="checkbox" checked={value.includes(f.id)} value={f.id}
            onChange={(e) => onChange(e.target.checked ? [...value, f.id] : value.filter((id) => id !== f.id))}
          />
          {lang === 'en' && f.title.en ? f.title.en : f.title.zh}
        </label>
      ))}
    </fieldset>
  );
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="cwc-card" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}
