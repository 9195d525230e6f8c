/**
 * The one place the reports feature touches the ECharts runtime: the modular `echarts/core`
 * with only the chart types and components used here, and the SVG renderer (small, and its
 * vector output prints sharply to PDF). Lives in the reports chunk only.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export interface EChartProps {
  option: EChartsCoreOption;
  height: number;
  /** describes the chart for screen readers (the same figures are in a table next to it) */
  label: string;
  testId?: string;
  lang: 'zh' | 'en';
}

export function EChart({ option, height, label, testId, lang }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const c = echarts.init(el, undefined, { renderer: 'svg', locale: lang === 'en' ? 'EN' : 'ZH' });
    chart.current = c;
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => c.resize());
    observer?.observe(el);
    const onPrint = () => c.resize();
    window.addEventListener('beforeprint', onPrint);
    return () => {
      observer?.disconnect();
      window.removeEventListener('beforeprint', onPrint);
      c.dispose();
      chart.current = null;
    };
  }, [lang]);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option, lang]);

  return <div ref={ref} className="rp-chart" style={{ height }} role="img" aria-label={label} data-testid={testId} />;
}
