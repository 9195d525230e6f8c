/**
 * The friendly editor of a question's `validators` (validation section): one card per rule —
 * number range, text length, pattern with a try-it field, expression checked as you type, number
 * of choices — each with a zh-CN / English message; the raw JSON stays below for power users.
 */
import { useState } from 'react';
import {
  VALIDATOR_FIELDS, addValidator, isValidatorKind, parseNumberField, readValidators, removeValidator, setValidatorField,
  testRegex, validatorKindsFor, validatorProblems, writeValidators, type ValidatorJson, type ValidatorKind,
} from '../../../../common/designer/validators';
import { joinText, splitText } from '../../../../common/designer/operations';
import type { SurveyDefinition } from '../../../../common/api/forms';
import { ConditionEditor } from './ConditionEditor';
import { s, type DesignerKey } from './strings';

const FIELD_LABEL: Record<string, DesignerKey> = {
  minValue: 'vMin', maxValue: 'vMax', minLength: 'vMinLength', maxLength: 'vMaxLength', minCount: 'vMinCount', maxCount: 'vMaxCount',
};

function NumberInput({ value, onChange, testId, label }: { value: unknown; onChange: (v: number | undefined) => void; testId: string; label: string }) {
  return (
    <label className="cwd-vfield">{label}
      <input type="number" value={typeof value === 'number' ? String(value) : ''} data-testid={testId} aria-label={label}
        onChange={(e) => onChange(parseNumberField(e.target.value))} />
    </label>
  );
}

function RegexField({ value, onChange, testId }: { value: unknown; onChange: (v: string) => void; testId: string }) {
  const { t } = s.useStrings();
  const [sample, setSample] = useState('');
  const pattern = typeof value === 'string' ? value : '';
  const result = testRegex(pattern, sample);
  return (
    <div className="cwd-vregex">
      <label className="cwd-vfield">{t('vPattern')}
        <input value={pattern} spellCheck={false} data-testid={`${testId}-regex`} aria-label={t('vPattern')} onChange={(e) => onChange(e.target.value)} />
      </label>
      <label className="cwd-vfield">{t('vTestInput')}
        <input value={sample} data-testid={`${testId}-sample`} aria-label={t('vTestInput')} onChange={(e) => setSample(e.target.value)} />
      </label>
      <span role="status" data-testid={`${testId}-result`} data-match={result.ok ? String(result.match) : 'error'} className={result.ok && result.match ? 'cwd-ok' : 'cwd-error'}>
        {result.ok ? (result.match ? `✓ ${t('vMatch')}` : `✗ ${t('vNoMatch')}`) : t('vBadRegex', { reason: result.error })}
      </span>
    </div>
  );
}

function JsonText({ value, onChange, testId }: { value: unknown; onChange: (v: unknown) => void; testId: string }) {
  const { t } = s.useStrings();
  const [text, setText] = useState<string | null>(null);
  const [bad, setBad] = useState(false);
  const shown = text ?? (value === undefined ? '' : JSON.stringify(value, null, 1));
  return (
    <>
      <textarea rows={4} spellCheck={false} data-testid={testId} className={bad ? 'cwd-bad' : ''} value={shown} onChange={(e) => setText(e.target.value)} onBlur={() => {
        if (text === null) return;
        if (text.trim() === '') { setText(null); setBad(false); return onChange(undefined); }
        try { onChange(JSON.parse(text)); setText(null); setBad(false); } catch { setBad(true); }
      }} />
      {bad && <p role="alert" className="cwd-error">{t('vBadJson')}</p>}
    </>
  );
}

export function ValidatorsEditor({ value, question, definition, self, onChange, testId = 'prop-validators' }: {
  value: unknown;
  question: Record<string, unknown>;
  definition: SurveyDefinition;
  self: string | null;
  /** `typing`: one undo step per field being typed into */
  onChange: (v: unknown, typing?: boolean) => void;
  testId?: string;
}) {
  const { t } = s.useStrings();
  const list = readValidators(value);
  const kinds = validatorKindsFor(question);
  const [adding, setAdding] = useState<ValidatorKind>(kinds[0] ?? 'expression');
  const write = (next: ValidatorJson[], typing = false) => onChange(writeValidators(next), typing);
  const setField = (i: number, field: string, v: unknown, typing = true) => write(setValidatorField(list, i, field, v), typing);
  const kindLabel = (type: string) => (isValidatorKind(type) ? t(`validator_${type}`) : t('validator_other', { type }));

  return (
    <div className="cwd-validators" data-testid={testId}>
      {list.length === 0 && <p className="cwd-note">{t('noValidators')}</p>}
      {list.map((v, i) => {
        const id = `${testId}-${i}`;
        const msg = splitText(v.text);
        const problems = validatorProblems(v);
        return (
          <fieldset key={i} className="cwd-validator" data-testid={id} data-type={v.type}>
            <legend>{kindLabel(v.type)}</legend>
            {(v.type === 'numeric' || v.type === 'text' || v.type === 'answercount') && (
              <div className="cwd-row">
                {VALIDATOR_FIELDS[v.type].map((f) => (
                  <NumberInput key={f} label={t(FIELD_LABEL[f] ?? 'value')} value={v[f]} testId={`${id}-${f}`} onChange={(n) => setField(i, f, n)} />
                ))}
              </div>
            )}
            {v.type === 'regex' && <RegexField value={v.regex} testId={id} onChange={(p) => setField(i, 'regex', p)} />}
            {v.type === 'expression' && (
              <div className="cwd-vfield">{t('vExpression')}
                {/* checked on the question as if it were a show-if: same variables and functions as the validator sees */}
                <ConditionEditor rawOnly value={typeof v.expression === 'string' ? v.expression : ''} definition={definition} self={self}
                  property="visibleIf" testId={`${id}-expression`} onChange={(e) => setField(i, 'expression', e)} />
              </div>
            )}
            {problems.includes('MIN_ABOVE_MAX') && <p role="alert" className="cwd-error" data-testid={`${id}-problem`}>{t('vMin')} &gt; {t('vMax')}</p>}
            <div className="cwd-vfield">{t('vText')}
              <div className="cwd-bilingual">
                <input placeholder={t('zh')} aria-label={`${t('vText')} ${t('zh')}`} value={msg.zh} data-testid={`${id}-text-zh`} onChange={(e) => setField(i, 'text', joinText(e.target.value, msg.en))} />
                <input placeholder="English" aria-label={`${t('vText')} English`} value={msg.en} data-testid={`${id}-text-en`} onChange={(e) => setField(i, 'text', joinText(msg.zh, e.target.value))} />
              </div>
            </div>
            <button type="button" className="cwd-small" data-testid={`${id}-remove`} onClick={() => write(removeValidator(list, i))}>✕ {t('remove')}</button>
          </fieldset>
        );
      })}
      <div className="cwd-row">
        <select value={adding} aria-label={t('addValidator')} data-testid={`${testId}-kind`} onChange={(e) => { if (isValidatorKind(e.target.value)) setAdding(e.target.value); }}>
          {kinds.map((k) => <option key={k} value={k}>{t(`validator_${k}`)}</option>)}
        </select>
        <button type="button" className="cwd-small" data-testid={`${testId}-add`} onClick={() => write(addValidator(list, adding))}>+ {t('addValidator')}</button>
      </div>
      <details className="cwd-vraw">
        <summary>{t('vRawJson')}</summary>
        <JsonText key={JSON.stringify(value ?? null)} value={value} testId={`${testId}-json`} onChange={(v) => onChange(v)} />
      </details>
    </div>
  );
}
