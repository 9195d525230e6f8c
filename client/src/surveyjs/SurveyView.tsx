/**
 * `<Survey>` isolated in a memoized component: a parent re-render (idle timer, counts, language)
 * never re-renders the survey, so typed text is not dropped. Re-renders only for a new model.
 */
import { memo } from 'react';
import { Survey } from 'survey-react-ui';
import type { Model } from 'survey-core';
import 'survey-core/survey-core.fontless.min.css';
import './theme.css';

export const SurveyView = memo(function SurveyView({ model }: { model: Model }) {
  return (
    <div className="cw-survey">
      <Survey model={model} />
    </div>
  );
});
