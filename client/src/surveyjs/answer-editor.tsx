/**
 * Editing stored answers with the real survey-react-ui renderer (the console's census
 * corrections): every page of the form on one scroll, pre-filled with `data`, no navigation or
 * complete button. The caller reads the edited answers through `handle` (`validate()` shows the
 * form's own error marks; `data()` is a copy). Not exported from `./index` (the kiosk's entry):
 * the console imports this module directly, inside its lazy chunk.
 */
import { memo, useEffect, useMemo, type RefObject } from 'react';
import { Survey } from 'survey-react-ui';
import { Model } from 'survey-core';
import 'survey-core/survey-core.fontless.min.css';
import './theme.css';
import { fixChineseLocale } from './model';
import type { SurveyDefinition } from '../../../common/api/forms';

export interface AnswerEditorHandle {
  /** runs the form's checks (required, validators) and marks the failing questions; true when all pass */
  validate(): boolean;
  /** the edited answers (a deep copy) */
  data(): Record<string, unknown>;
}

export interface AnswerEditorProps {
  definition: SurveyDefinition;
  /** the answers to start from (the current revision) */
  data: Record<string, unknown>;
  /** 'zh-cn' or '' (the default texts: English in CunWen forms) */
  locale: string;
  handle: RefObject<AnswerEditorHandle | null>;
  /** called on every change of an answer (e.g. to enable a save button) */
  onChange?: () => void;
}

export const AnswerEditor = memo(function AnswerEditor({ definition, data, locale, handle, onChange }: AnswerEditorProps) {
  const json = useMemo(() => JSON.stringify(definition), [definition]);
  const start = useMemo(() => JSON.stringify(data), [data]);
  const model = useMemo(() => {
    fixChineseLocale();
    const m = new Model(JSON.parse(json) as SurveyDefinition);
    m.locale = locale;
    m.questionsOnPageMode = 'singlePage';
    m.showNavigationButtons = false;
    m.showCompletePage = false;
    m.showProgressBar = false;
    m.textUpdateMode = 'onTyping';
    m.checkErrorsMode = 'onComplete';
    m.clearInvisibleValues = 'none'; // a correction never silently drops answers the reviewer did not touch
    // a reviewer checks the whole roster at once: every member open, one under the other
    for (const q of m.getAllQuestions(false, true, true)) {
      if (q.getType() === 'paneldynamic') (q as unknown as { displayMode: string }).displayMode = 'list';
    }
    m.mergeData(JSON.parse(start) as Record<string, unknown>);
    return m;
  }, [json, start, locale]);

  useEffect(() => {
    handle.current = {
      validate: () => model.validate(true, true),
      data: () => JSON.parse(JSON.stringify(model.data)) as Record<string, unknown>,
    };
    const listener = () => onChange?.();
    model.onValueChanged.add(listener);
    model.onDynamicPanelAdded.add(listener);
    model.onDynamicPanelRemoved.add(listener);
    return () => {
      model.onValueChanged.remove(listener);
      model.onDynamicPanelAdded.remove(listener);
      model.onDynamicPanelRemoved.remove(listener);
      handle.current = null;
    };
  }, [model, handle, onChange]);
  useEffect(() => () => model.dispose(), [model]);

  return (
    <div className="cw-survey cw-answer-editor" data-testid="answer-editor">
      <Survey model={model} />
    </div>
  );
});
