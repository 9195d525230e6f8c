/**
 * The property panel: sections and fields generated from survey-core's metadata
 * (common/designer/properties.ts), one editor per field kind. Not a hand-written form per type.
 */
import { useMemo, useState } from 'react';
import { panelForTarget, type PropertyField } from '../../../../common/designer/properties';
import { defaultPoints } from '../../../../common/forms/survey-properties';
import { findElement, joinText, pagesOf, splitText } from '../../../../common/designer/operations';
import type { SurveyDefinition } from '../../../../common/api/forms';
import { ConditionEditor } from './ConditionEditor';
import { ValidatorsEditor } from './ValidatorsEditor';
import { s } from './strings';
import type { Selection } from './selection';

type Json = Record<string, unknown>;
export type SetProp = (property: string, value: unknown, typing?: boolean) => void;

interface ItemRow { value: string; zh: string; en: string; raw: unknown; orig: unknown }

function itemParts(item: unknown): ItemRow {
  if (item && typeof item === 'object' && 'value' in item) {
    const it = item as { value: unknown; text?: unknown };
    const t = splitText(it.text);
    return { value: String(it.value), zh: t.zh, en: t.en, raw: it.value, orig: item };
  }
  return { value: String(item), zh: '', en: '', raw: item, orig: item };
}

/** value / 中文 / English rows; an item's other properties (visibleIf, imageLink, …) are kept. */
function ItemsEditor({ value, onChange, testId }: { value: unknown; onChange: (v: unknown, typing?: boolean) => void; testId: string }) {
  const { t } = s.useStrings();
  const items = (Array.isArray(value) ? value : []).map(itemParts);
  const write = (rows: ItemRow[], typing = false) => {
    onChange(rows.map((r) => {
      const v = typeof r.raw === 'number' && String(r.raw) === r.value ? r.raw : r.value;
      const text = joinText(r.zh, r.en);
      if (r.orig && typeof r.orig === 'object') {
        const { text: _old, ...rest } = r.orig as Json;
        return text === undefined ? { ...rest, value: v } : { ...rest, value: v, text };
      }
      return text === undefined ? v : { value: v, text };
    }), typing);
  };
  const move = (i: number, d: -1 | 1) => {
    const j = i + d;
    if (j < 0 || j >= items.length) return;
    const next = [...items];
    const [x] = next.splice(i, 1);
    if (x) next.splice(j, 0, x);
    write(next);
  };
  return (
    <div className="cwd-items" data-testid={testId}>
      <div className="cwd-items-head"><span>{t('value')}</span><span>{t('zh')}</span><span>{t('en')}</span><span /></div>
      {items.map((it, i) => (
        <div className="cwd-item" key={i}>
          <input aria-label={`${t('value')} ${i + 1}`} value={it.value} data-testid={`${testId}-value-${i}`} onChange={(e) => write(items.map((x, j) => (j === i ? { ...x, value: e.target.value, raw: e.target.value } : x)), true)} />
          <input aria-label={`${t('zh')} ${i + 1}`} value={it.zh} data-testid={`${testId}-zh-${i}`} onChange={(e) => write(items.map((x, j) => (j === i ? { ...x, zh: e.target.value } : x)), true)} />
          <input aria-label={`${t('en')} ${i + 1}`} value={it.en} data-testid={`${testId}-en-${i}`} onChange={(e) => write(items.map((x, j) => (j === i ? { ...x, en: e.target.value } : x)), true)} />
          <span className="cwd-item-tools">
            <button type="button" className="cwd-icon" aria-label={`${t('moveUp')} ${i + 1}`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
            <button type="button" className="cwd-icon" aria-label={`${t('remove')} ${i + 1}`} onClick={() => write(items.filter((_, j) => j !== i))}>✕</button>
          </span>
        </div>
      ))}
      <button type="button" className="cwd-small" data-testid={`${testId}-add`} onClick={() => {
        let n = items.length + 1;
        while (items.some((x) => x.value === `opt${n}`)) n++;
        write([...items, { value: `opt${n}`, zh: '', en: '', raw: `opt${n}`, orig: `opt${n}` }]);
      }}>+ {t('addItem')}</button>
    </div>
  );
}

/** correctAnswer / defaultValue: ticked against the question's own choices where it has them. */
function ValueEditor({ element, value, onChange, testId }: { element: Json | null; value: unknown; onChange: (v: unknown) => void; testId: string }) {
  const { t, lang } = s.useStrings();
  const [text, setText] = useState<string | null>(null);
  const type = String(element?.type ?? '');
  if (type === 'boolean') {
    return (
      <div className="cwd-choices-pick" data-testid={testId} role="radiogroup" aria-label={t('correctAnswerFor')}>
        {[true, false].map((b) => (
          <label key={String(b)}><input type="radio" checked={value === b} data-testid={`${testId}-${String(b)}`} onChange={() => onChange(b)} /> {b ? t('trueLabel') : t('falseLabel')}</label>
        ))}
        <button type="button" className="cwd-small" onClick={() => onChange(undefined)}>{t('remove')}</button>
      </div>
    );
  }
  if (Array.isArray(element?.choices)) {
    const multi = type === 'checkbox' || type === 'tagbox';
    const options = (element.choices as unknown[]).map(itemParts);
    const current = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return (
      <div className="cwd-choices-pick" data-testid={testId} aria-label={t('correctAnswerFor')}>
        {options.map((o) => {
          const on = current.some((v) => String(v) === o.value);
          return (
            <label key={o.value}>
              <input type={multi ? 'checkbox' : 'radio'} checked={on} data-testid={`${testId}-${o.value}`} onChange={() => {
                if (!multi) return onChange(o.raw);
                const next = on ? current.filter((v) => String(v) !== o.value) : [...current, o.raw];
                onChange(next.length ? next : undefined);
              }} /> {(lang === 'en' ? o.en || o.zh : o.zh || o.en) || o.value}
            </label>
          );
        })}
        {current.length > 0 && <button type="button" className="cwd-small" onClick={() => onChange(undefined)}>{t('remove')}</button>}
      </div>
    );
  }
  const shown = text ?? (value === undefined ? '' : JSON.stringify(value));
  return (
    <input data-testid={testId} value={shown} onChange={(e) => setText(e.target.value)} onBlur={() => {
      if (text === null) return;
      setText(null);
      if (text.trim() === '') return onChange(undefined);
      try { onChange(JSON.parse(text)); } catch { onChange(text); }
    }} />
  );
}

function JsonField({ value, onChange, testId }: { value: unknown; onChange: (v: unknown) => void; testId: string }) {
  const [text, setText] = useState<string | null>(null);
  const [bad, setBad] = useState(false);
  const shown = text ?? (value === undefined ? '' : JSON.stringify(value, null, 1));
  return (
    <textarea rows={3} spellCheck={false} data-testid={testId} className={bad ? 'cwd-bad' : ''} value={shown} onChange={(e) => setText(e.target.value)} onBlur={() => {
      if (text === null) return;
      if (text.trim() === '') { setText(null); setBad(false); return onChange(undefined); }
      try { onChange(JSON.parse(text)); setText(null); setBad(false); } catch { setBad(true); }
    }} />
  );
}

/**
 * A name is committed on Enter or when the field loses focus (renaming also rewrites the
 * expressions that refer to it); an empty name is not accepted.
 */
function NameField({ value, onCommit }: { value: string; onCommit: (v: string) => void }) {
  const [text, setText] = useState(value);
  const commit = () => {
    const v = text.trim();
    if (!v) { setText(value); return; }
    if (v !== value) onCommit(v);
  };
  return (
    <input value={text} data-testid="prop-name" spellCheck={false} onChange={(e) => setText(e.target.value)} onBlur={commit}
      onKeyDown={(e) => { if (e.key === 'Enter') commit(); if (e.key === 'Escape') setText(value); }} />
  );
}

function FieldEditor({ field, holder, definition, self, set }: { field: PropertyField; holder: Json; definition: SurveyDefinition; self: string | null; set: SetProp }) {
  const { t } = s.useStrings();
  const value = holder[field.name];
  const id = `prop-${field.name}`;
  if (field.name === 'validators') {
    return <ValidatorsEditor value={value} question={holder} definition={definition} self={self} testId={id} onChange={(v, typing) => set(field.name, v, typing)} />;
  }
  switch (field.editor) {
    case 'localized': {
      const v = splitText(value);
      return (
        <div className="cwd-bilingual">
          <input aria-label={`${field.label.zh} ${t('zh')}`} placeholder={t('zh')} value={v.zh} data-testid={`${id}-zh`} onChange={(e) => set(field.name, joinText(e.target.value, v.en), true)} />
          <input aria-label={`${field.label.en} English`} placeholder="English" value={v.en} data-testid={`${id}-en`} onChange={(e) => set(field.name, joinText(v.zh, e.target.value), true)} />
        </div>
      );
    }
    case 'string':
      if (field.name === 'name') return <NameField value={typeof value === 'string' ? value : ''} onCommit={(v) => set('name', v)} />;
      return <input value={typeof value === 'string' || typeof value === 'number' ? String(value) : ''} data-testid={id} onChange={(e) => set(field.name, e.target.value || undefined, true)} />;
    case 'multiline':
      return <textarea rows={3} value={typeof value === 'string' ? value : ''} data-testid={id} onChange={(e) => set(field.name, e.target.value || undefined, true)} />;
    case 'number':
      return <input type="number" value={typeof value === 'number' ? String(value) : ''} data-testid={id}
        placeholder={field.name === 'points' ? String(defaultPoints(String(holder.type ?? ''))) : field.defaultValue === undefined ? '' : String(field.defaultValue)}
        onChange={(e) => set(field.name, e.target.value === '' ? undefined : Number(e.target.value), true)} />;
    case 'boolean': {
      const def = field.defaultValue === true;
      const on = typeof value === 'boolean' ? value : def;
      return <input type="checkbox" checked={on} data-testid={id} onChange={(e) => set(field.name, e.target.checked === def ? undefined : e.target.checked)} />;
    }
    case 'select':
      return (
        <select value={value === undefined ? '' : String(value)} data-testid={id} onChange={(e) => {
          const raw = e.target.value;
          const match = field.choices?.find((c) => String(c) === raw);
          set(field.name, raw === '' ? undefined : match ?? raw);
        }}>
          <option value="">{t('inherit')}{field.defaultValue !== undefined ? ` ${String(field.defaultValue)}` : ''}</option>
          {field.choices?.map((c) => <option key={String(c)} value={String(c)}>{String(c)}</option>)}
        </select>
      );
    case 'condition':
      return <ConditionEditor value={typeof value === 'string' ? value : ''} definition={definition} self={self} property={field.name} testId={id} onChange={(v) => set(field.name, v, true)} />;
    case 'expression':
      return <ConditionEditor rawOnly value={typeof value === 'string' ? value : ''} definition={definition} self={self} property={field.name} testId={id} onChange={(v) => set(field.name, v, true)} />;
    case 'items':
      return <ItemsEditor value={value} testId={id} onChange={(v, typing) => set(field.name, v, typing)} />;
    case 'value':
      return <ValueEditor element={holder} value={value} testId={id} onChange={(v) => set(field.name, v)} />;
    default:
      return <JsonField value={value} testId={id} onChange={(v) => set(field.name, v)} />;
  }
}

const OPEN_BY_DEFAULT = new Set(['basic', 'choices', 'logic', 'quiz', 'validation']);

export function PropertyPanel({ definition, selection, set }: { definition: SurveyDefinition; selection: Selection; set: SetProp }) {
  const { t, lang } = s.useStrings();
  const holder: Json | null = selection.kind === 'survey' ? definition
    : selection.kind === 'page' ? (pagesOf(definition).find((p) => p.name === selection.name) ?? null)
      : findElement(definition, selection.name);
  const type = selection.kind === 'element' ? String(holder?.type ?? 'question') : selection.kind;
  const target = useMemo(() => (selection.kind === 'element' ? { kind: 'element' as const, name: selection.name, type } : selection), [selection, type]);
  // the panel's shape depends on the element's type-level properties (inputType, …), not on every keystroke
  const shapeKey = holder ? `${type}|${String(holder.inputType ?? '')}|${String(holder.rateType ?? '')}|${String(holder.renderAs ?? '')}` : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed when the shape changes
  const panel = useMemo(() => (holder ? panelForTarget(definition, target) : null), [shapeKey, target]);
  if (!holder || !panel) return <p className="cwd-note">{t('selectSomething')}</p>;
  const self = selection.kind === 'element' ? selection.name : null;
  return (
    <div className="cwd-props" data-testid="property-panel" data-class={panel.className}>
      <h3>{selection.kind === 'survey' ? t('surveyProperties') : `${t('properties')} · ${selection.name}`}</h3>
      {panel.sections.map((section) => (
        <details key={section.id} open={OPEN_BY_DEFAULT.has(section.id)} data-testid={`section-${section.id}`}>
          <summary>{lang === 'en' ? section.label.en : section.label.zh}{section.id === 'advanced' ? ` (${section.fields.length})` : ''}</summary>
          {section.id === 'advanced' && <p className="cwd-note">{t('advancedHint')}</p>}
          {section.fields.map((f) => (
            <div className="cwd-field" key={f.name}>
              <label title={f.name}>{lang === 'en' ? f.label.en : f.label.zh}{f.isRequired ? ' *' : ''}</label>
              <FieldEditor field={f} holder={holder} definition={definition} self={self} set={set} />
            </div>
          ))}
        </details>
      ))}
    </div>
  );
}
