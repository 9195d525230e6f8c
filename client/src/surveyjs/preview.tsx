/**
 * The designer's live preview: the real survey-react-ui rendering a definition, rebuilt when the
 * definition changes. Not exported from `./index` (the kiosk's entry): the designer imports this
 * module directly, inside its lazy chunk.
 */
import { memo, useEffect, useMemo } from 'react';
import { Survey } from 'survey-react-ui';
import { Model } from 'survey-core';
import 'survey-core/survey-core.fontless.min.css';
import './theme.css';
import { fixChineseLocale } from './model';
import type { SurveyDefinition } from '../../../common/api/forms';

export interface SurveyPreviewProps {
  definition: SurveyDefinition;
  /** CSS width of the device frame, e.g. 375 (phone) or 800 (tablet) */
  width: number;
  /** 'zh-cn' or '' (the default texts: English in CunWen forms) */
  locale: string;
  /** design mode: every question shown (conditions not applied), nothing answerable */
  designMode?: boolean;
  /** the page to show (index), when the outline selects one */
  pageIndex?: number;
}

export const SurveyPreview = memo(function SurveyPreview({ definition, width, locale, designMode = false, pageIndex }: SurveyPreviewProps) {
  const json = useMemo(() => JSON.stringify(definition), [definition]);
  const model = useMemo(() => {
    fixChineseLocale();
    const m = new Model(JSON.parse(json) as SurveyDefinition);
    if (designMode) m.setDesignMode(true);
    m.locale = locale;
    m.showCompletePage = true;
    return m;
  }, [json, designMode, locale]);
  useEffect(() => {
    if (pageIndex !== undefined && pageIndex >= 0 && pageIndex < model.pages.length && !model.isDesignMode) {
      const page = model.pages[pageIndex];
      if (page && page.isVisible) model.currentPage = page;
    }
  }, [model, pageIndex]);
  useEffect(() => () => model.dispose(), [model]);
  return (
    <div className="cw-preview-frame" style={{ width }} data-testid="designer-preview" data-logo={definition.logo ? 'set' : 'none'}>
      {/* the kiosk's look (zoom and fonts) inside a frame of the device's width */}
      <div className="cw-survey">
        <Survey model={model} />
      </div>
    </div>
  );
});
