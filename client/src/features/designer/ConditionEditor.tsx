/**
 * "Show this question if …" / "required if …": a builder of question + comparison + value rows
 * joined by and/or, writing a SurveyJS expression. The expression text stays editable below it
 * and is checked as you type; an expression the builder cannot read stays text-only.
 */
import { useMemo, useState } from 'react';
import {
  CONDITION_OPERATORS, OPERATOR_LABELS, checkExpression, conditionToExpression, isListOperator, isUnary, operatorsFor, parseCondition,
  type ConditionClause, type ConditionModel, type ConditionOperator, type ConditionValue,
} from '../../../../common/designer/conditions';
import { findElement, splitText } from '../../../../common/designer/operations';
import { listQuestions } from '../../../../common/forms/check-definition';
import type { SurveyDefinition } from '../../../../common/api/forms';
import { s } from './strings';

interface ChoiceOption { value: ConditionValue; label: string }

function choiceOptions(def: SurveyDefinition, name: string, lang: 'zh' | 'en'): ChoiceOption[] | null {
  const el = findElement(def, name);
  if (!el) return null;
  if (el.type === 'boolean') return [{ value: true, label: lang === 'en' ? 'true' : '是(true)' }, { value: false, label: lang === 'en' ? 'false' : '否(false)' }];
  const list = Array.isArray(el.choices) ? el.choices : el.type === 'rating' ? [1, 2, 3, 4, 5] : null;
  if (!list) return null;
  return (list as unknown[]).flatMap((c): ChoiceOption[] => {
    const v = c && typeof c === 'object' && 'value' in c ? (c as { value: unknown }).value : c;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return [];
    const text = c && typeof c === 'object' && 'text' in c ? splitText((c as { text: unknown }).text) : { zh: '', en: '' };
    const label = (lang === 'en' ? text.en || text.zh : text.zh || text.en) || String(v);
    return [{ value: v, label: label === String(v) ? label : `${label} (${String(v)})` }];
  });
}

function isNumeric(def: SurveyDefinition, name: string): boolean {
  const el = findElement(def, name);
  return el?.type === 'rating' || (el?.type === 'text' && el.inputType === 'number');
}

export function ConditionEditor({ value, definition, self, property, onChange, testId, rawOnly = false }: {
  value: string;
  /** an expression property (not a condition): text only, still checked as you type */
  rawOnly?: boolean;
  definition: SurveyDefinition;
  /** the element whose condition this is (not offered as a question to compare) */
  self: string | null;
  property: string;
  onChange: (expression: string | undefined) => void;
  testId: string;
}) {
  const { t, lang } = s.useStrings();
  const [draftRaw, setDraftRaw] = useState<string | null>(null);
  const [unwritable, setUnwritable] = useState(false);
  const raw = draftRaw ?? value;
  const model = useMemo(() => (rawOnly ? null : parseCondition(raw)), [raw, rawOnly]);
  const questions = useMemo(() => listQuestions(definition).filter((q) => q.name !== self && !['html', 'image', 'paneldynamic', 'matrix', 'panel'].includes(q.type) && !q.path.includes('[]')), [definition, self]);
  const issues = useMemo(() => checkExpression(raw, definition, self ? { question: self, property } : undefined), [raw, definition, self, property]);

  const writeModel = (m: ConditionModel) => {
    setDraftRaw(null);
    try {
      const expr = conditionToExpression(m);
      setUnwritable(false);
      onChange(expr || undefined);
    } catch {
      // a value the builder cannot write (a backslash, or a sequence survey-core rewrites):
      // keep the old expression and say so
      setUnwritable(true);
    }
  };
  const setClause = (i: number, c: ConditionClause) => model && writeModel({ ...model, clauses: model.clauses.map((x, j) => (j === i ? c : x)) });
  const defaultClause = (): ConditionClause | null => {
    const q = questions[0];
    if (!q) return null;
    const ops = operatorsFor(q.type, String(findElement(definition, q.name)?.inputType ?? ''));
    const op = ops[0] ?? 'equal';
    const opts = choiceOptions(definition, q.name, lang);
    return isUnary(op) ? { question: q.name, operator: op } : { question: q.name, operator: op, value: isListOperator(op) ? [] : (opts?.[0]?.value ?? '') };
  };

  return (
    <div className="cwd-condition" data-testid={testId}>
      {model ? (
        <>
          {model.clauses.length > 1 && (
            <select aria-label={t('conditionBuilder')} value={model.connective} onChange={(e) => writeModel({ ...model, connective: e.target.value === 'or' ? 'or' : 'and' })} data-testid={`${testId}-connective`}>
              <option value="and">{t('all')}</option>
              <option value="or">{t('any')}</option>
            </select>
          )}
          {model.clauses.map((c, i) => {
            const el = findElement(definition, c.question);
            const ops = el ? operatorsFor(String(el.type), String(el.inputType ?? '')) : [...CONDITION_OPERATORS];
            const opts = choiceOptions(definition, c.question, lang);
            const numeric = isNumeric(definition, c.question);
            const setValue = (v: ConditionValue | ConditionValue[] | undefined) => setClause(i, v === undefined ? { question: c.question, operator: c.operator } : { ...c, value: v });
            return (
              <div className="cwd-clause" key={i} data-testid={`${testId}-clause-${i}`}>
                <select aria-label={t('question')} value={c.question} data-testid={`${testId}-question-${i}`} onChange={(e) => {
                  const name = e.target.value;
                  const o = choiceOptions(definition, name, lang);
                  setClause(i, isUnary(c.operator) ? { question: name, operator: c.operator } : { question: name, operator: c.operator, value: isListOperator(c.operator) ? [] : (o?.[0]?.value ?? '') });
                }}>
                  {!questions.some((q) => q.name === c.question) && <option value={c.question}>{c.question}</option>}
                  {questions.map((q) => <option key={q.name} value={q.name}>{lang === 'en' ? q.titleEn : q.title} ({q.name})</option>)}
                </select>
                <select aria-label={t('operator')} value={c.operator} data-testid={`${testId}-operator-${i}`} onChange={(e) => {
                  const op = e.target.value as ConditionOperator;
                  if (isUnary(op)) setClause(i, { question: c.question, operator: op });
                  else if (isListOperator(op)) setClause(i, { question: c.question, operator: op, value: Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value] });
                  else setClause(i, { question: c.question, operator: op, value: Array.isArray(c.value) ? (c.value[0] ?? '') : (c.value ?? opts?.[0]?.value ?? '') });
                }}>
                  {(ops.includes(c.operator) ? ops : [c.operator, ...ops]).map((op) => <option key={op} value={op}>{lang === 'en' ? OPERATOR_LABELS[op].en : OPERATOR_LABELS[op].zh}</option>)}
                </select>
                {!isUnary(c.operator) && (isListOperator(c.operator) && opts ? (
                  <span className="cwd-multi">
                    {opts.map((o) => {
                      const list = Array.isArray(c.value) ? c.value : [];
                      const on = list.includes(o.value);
                      return (
                        <label key={String(o.value)}><input type="checkbox" checked={on} onChange={() => setValue(on ? list.filter((x) => x !== o.value) : [...list, o.value])} /> {o.label}</label>
                      );
                    })}
                  </span>
                ) : opts && !Array.isArray(c.value) ? (
                  <select aria-label={t('value')} value={JSON.stringify(c.value ?? '')} data-testid={`${testId}-value-${i}`} onChange={(e) => setValue(JSON.parse(e.target.value) as ConditionValue)}>
                    {!opts.some((o) => o.value === c.value) && <option value={JSON.stringify(c.value ?? '')}>{String(c.value ?? '')}</option>}
                    {opts.map((o) => <option key={String(o.value)} value={JSON.stringify(o.value)}>{o.label}</option>)}
                  </select>
                ) : (
                  <input aria-label={t('value')} data-testid={`${testId}-value-${i}`} type={numeric ? 'number' : 'text'} value={Array.isArray(c.value) ? c.value.join(',') : String(c.value ?? '')}
                    onChange={(e) => {
                      const txt = e.target.value;
                      if (isListOperator(c.operator)) setValue(txt.split(',').map((x) => x.trim()).filter(Boolean));
                      else setValue(numeric && txt !== '' && Number.isFinite(Number(txt)) ? Number(txt) : txt);
                    }} />
                ))}
                <button type="button" className="cwd-icon" aria-label={t('remove')} onClick={() => writeModel({ ...model, clauses: model.clauses.filter((_, j) => j !== i) })}>✕</button>
              </div>
            );
          })}
          <button type="button" className="cwd-small" data-testid={`${testId}-add`} disabled={questions.length === 0} onClick={() => { const c = defaultClause(); if (c) writeModel({ ...model, clauses: [...model.clauses, c] }); }}>
            + {t('addClause')}
          </button>
        </>
      ) : rawOnly ? null : (
        <p className="cwd-note">{t('rawOnly')}</p>
      )}
      {unwritable ? <p className="cwd-issues" role="alert" data-testid={`${testId}-unwritable`}>{t('conditionValueUnwritable')}</p> : null}
      <label className="cwd-raw">
        <span>{t('rawExpression')}</span>
        <textarea rows={2} value={raw} spellCheck={false} data-testid={`${testId}-raw`}
          onChange={(e) => { setDraftRaw(e.target.value); onChange(e.target.value.trim() ? e.target.value : undefined); }}
          onBlur={() => setDraftRaw(null)} />
      </label>
      {raw.trim() !== '' && (issues.length ? (
        <ul className="cwd-issues" role="alert" data-testid={`${testId}-issues`}>{issues.map((x, i) => <li key={i}>{lang === 'en' ? x.en : x.zh}</li>)}</ul>
      ) : <p className="cwd-okline">✓ {t('expressionOk')}</p>)}
    </div>
  );
}
