/** @jest-environment jsdom */
import { useState } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { PropertyPanel } from '../../../client/src/features/designer/PropertyPanel';
import { findElement, setProperty } from '../../../common/designer/operations';
import type { SurveyDefinition } from '../../../common/api/forms';

const DEF: SurveyDefinition = {
  pages: [{
    name: 'p1',
    elements: [
      { type: 'text', name: 'age', inputType: 'number', title: '年龄' },
      { type: 'text', name: 'phone', title: '电话' },
      { type: 'checkbox', name: 'many', title: '哪些', choices: ['a', 'b', 'c'], validators: [{ type: 'answercount', maxCount: 2, text: '最多两项' }] },
    ],
  }],
};

function Harness({ name, onDef }: { name: string; onDef: (d: SurveyDefinition) => void }) {
  const [def, setDef] = useState(DEF);
  return <PropertyPanel definition={def} selection={{ kind: 'element', name }}
    set={(p, v) => setDef((d) => { const next = setProperty(d, name, p, v).definition; onDef(next); return next; })} />;
}

describe('validator editor in the property panel', () => {
  it('adds a number range with a bilingual message, and removes it', () => {
    let last = DEF;
    render(<Harness name="age" onDef={(d) => { last = d; }} />);
    const editor = screen.getByTestId('prop-validators');
    expect(within(screen.getByTestId('section-validation')).getByTestId('prop-validators')).toBe(editor);
    expect(screen.getByTestId('prop-validators-kind').querySelectorAll('option')).toHaveLength(2); // numeric, expression
    fireEvent.click(screen.getByTestId('prop-validators-add'));
    fireEvent.change(screen.getByTestId('prop-validators-0-minValue'), { target: { value: '0' } });
    fireEvent.change(screen.getByTestId('prop-validators-0-maxValue'), { target: { value: '120' } });
    fireEvent.change(screen.getByTestId('prop-validators-0-text-zh'), { target: { value: '年龄应在 0–120 之间' } });
    fireEvent.change(screen.getByTestId('prop-validators-0-text-en'), { target: { value: 'Age 0–120' } });
    expect(findElement(last, 'age')?.validators).toEqual([{ type: 'numeric', minValue: 0, maxValue: 120, text: { 'zh-cn': '年龄应在 0–120 之间', default: 'Age 0–120' } }]);
    fireEvent.change(screen.getByTestId('prop-validators-0-minValue'), { target: { value: '200' } });
    expect(screen.getByTestId('prop-validators-0-problem')).toBeTruthy();
    fireEvent.click(screen.getByTestId('prop-validators-0-remove'));
    expect(findElement(last, 'age')).not.toHaveProperty('validators');
  });

  it('a pattern rule shows match / no match for a test input and reports a broken pattern', () => {
    let last = DEF;
    render(<Harness name="phone" onDef={(d) => { last = d; }} />);
    fireEvent.change(screen.getByTestId('prop-validators-kind'), { target: { value: 'regex' } });
    fireEvent.click(screen.getByTestId('prop-validators-add'));
    fireEvent.change(screen.getByTestId('prop-validators-0-regex'), { target: { value: '^1\\d{10}$' } });
    expect(findElement(last, 'phone')?.validators).toEqual([{ type: 'regex', regex: '^1\\d{10}$' }]);
    fireEvent.change(screen.getByTestId('prop-validators-0-sample'), { target: { value: '13812345678' } });
    expect(screen.getByTestId('prop-validators-0-result').getAttribute('data-match')).toBe('true');
    fireEvent.change(screen.getByTestId('prop-validators-0-sample'), { target: { value: '123' } });
    expect(screen.getByTestId('prop-validators-0-result').getAttribute('data-match')).toBe('false');
    fireEvent.change(screen.getByTestId('prop-validators-0-regex'), { target: { value: '([' } });
    expect(screen.getByTestId('prop-validators-0-result').getAttribute('data-match')).toBe('error');
  });

  it('an expression rule is checked as you type (unknown question reported)', () => {
    let last = DEF;
    render(<Harness name="phone" onDef={(d) => { last = d; }} />);
    fireEvent.change(screen.getByTestId('prop-validators-kind'), { target: { value: 'expression' } });
    fireEvent.click(screen.getByTestId('prop-validators-add'));
    const box = screen.getByTestId('prop-validators-0');
    const input = box.querySelector('textarea, input:not([data-testid$="-text-zh"]):not([data-testid$="-text-en"])') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '{nosuch} > 3' } });
    expect(box.textContent).toMatch(/nosuch/);
    fireEvent.change(input, { target: { value: '{age} > 3' } });
    fireEvent.blur(input);
    expect(findElement(last, 'phone')?.validators).toEqual([{ type: 'expression', expression: '{age} > 3' }]);
  });

  it('shows existing answer-count rules and keeps the raw JSON editable', () => {
    let last = DEF;
    render(<Harness name="many" onDef={(d) => { last = d; }} />);
    expect(screen.getByTestId('prop-validators-0').getAttribute('data-type')).toBe('answercount');
    expect((screen.getByTestId('prop-validators-0-maxCount') as HTMLInputElement).value).toBe('2');
    expect((screen.getByTestId('prop-validators-0-text-zh') as HTMLInputElement).value).toBe('最多两项');
    const raw = screen.getByTestId('prop-validators-json');
    fireEvent.change(raw, { target: { value: '[{"type":"answercount","minCount":1}]' } });
    fireEvent.blur(raw);
    expect(findElement(last, 'many')?.validators).toEqual([{ type: 'answercount', minCount: 1 }]);
    expect((screen.getByTestId('prop-validators-0-minCount') as HTMLInputElement).value).toBe('1');
  });
});
