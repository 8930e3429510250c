// Cluster utilisation (used / total cpus, mem, disk) over the last minutes, drawn by uPlot
// (bundled, no CDN). The plot is made once and handed new data as samples arrive.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartColumns, HISTORY_MS, type UtilisationSample } from '../model/cluster-live';

const HEIGHT = 220;

export function UtilisationChart({ history }: { readonly history: readonly UtilisationSample[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const percent = (_u: uPlot, v: number | null): string => (v === null ? '—' : `${v.toFixed(1)}%`);
    const made = new uPlot({
      width: Math.max(300, el.clientWidth),
      height: HEIGHT,
      // The x axis always spans the whole window, so a quiet minute reads as a flat line, not a zoom.
      scales: { x: { time: true, range: (_u, _min, max) => [max - HISTORY_MS / 1000, max] }, y: { range: [0, 100] } },
      axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${t}%`) }],
      series: [
        {},
        { label: 'CPUs', stroke: '#1f5fbf', width: 2, value: percent },
        { label: 'Memory', stroke: '#1b7f3b', width: 2, value: percent },
        { label: 'Disk', stroke: '#a15c00', width: 2, value: percent },
      ],
    }, chartColumns([]), el);
    plot.current = made;
    const resize = new ResizeObserver(() => made.setSize({ width: Math.max(300, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = undefined;
    };
  }, []);
  useEffect(() => {
    plot.current?.setData(chartColumns(history));
  }, [history]);
  return <div class="utilisation-chart" id="utilisation-chart" ref={box} data-samples={history.length} role="img" aria-label="Cluster utilisation over the last minutes: CPUs, memory and disk in percent" />;
}
