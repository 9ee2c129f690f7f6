import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import { defineComponent, ref, type PropType } from 'vue';
import VChart from 'vue-echarts';

// Only what the dashboard draws: lines and bars on a canvas (ECharts is tree-shaken).
use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
>;

/** A chart (lazy-loaded with ECharts: pages without charts never load it). */
export default defineComponent({
  name: 'GjChart',
  props: {
    option: { type: Object as PropType<ChartOption>, required: true },
    testid: { type: String, default: 'chart' },
  },
  emits: ['pick'],
  setup(props, { emit }) {
    // Set once ECharts has finished drawing (the browser tests and the benchmark wait for it).
    const drawn = ref(false);
    return () => (
      <div data-testid={props.testid} data-drawn={drawn.value ? '1' : '0'}>
        <VChart
          class="gj-chart"
          option={{ animation: false, ...props.option }}
          autoresize
          onClick={(p: { dataIndex: number; seriesIndex?: number; name?: string }) => emit('pick', p)}
          onFinished={() => (drawn.value = true)}
        />
      </div>
    );
  },
});
