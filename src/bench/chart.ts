/**
 * The benchmark's SVG bar charts, shared by bench.html and the playground's <clip-benchmark>: plain
 * DOM (an `<svg>` element), so a page appends it and a Lit template renders it as a node. Text is
 * styled by the host page (`svg text { font: ... }`); the chart has a viewBox, so CSS may scale it.
 */
import type { BenchResult } from './harness.ts';
import { fmt, pct, type BenchReport } from './report.ts';

export interface Bar {
  label: string;
  value: number;
  text: string;
  /** What a narrow (stacked) chart writes after the bar; `text` by default. */
  short?: string;
  color: string;
}

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** One colour per kernel version (v1, v2, ... in order of appearance): enough for every op's versions (8 at most). */
export const VERSION_COLORS = ['#4f46e5', '#0891b2', '#16a34a', '#ea580c', '#db2777', '#ca8a04', '#7c3aed', '#475569'];

export interface BarChartLayout {
  /** Width of the label column, of the longest bar, and of one row (px). */
  labelWidth?: number;
  barWidth?: number;
  rowHeight?: number;
  /**
   * Narrow screens: each label on its own line above its bar, the whole chart `stacked` px wide,
   * each bar followed by its `short` text.
   */
  stacked?: number;
  /** What the colours mean, drawn under the title. */
  legend?: readonly { label: string; color: string }[];
}

/** Horizontal bars: one per row, length = value / max, labelled on the left (or above), the value's text on the right. */
export function barChart(rows: readonly Bar[], title: string, layout: BarChartLayout = {}): SVGSVGElement {
  const stacked = layout.stacked;
  const labelW = stacked ? 0 : (layout.labelWidth ?? 330);
  const barW = stacked ? stacked - 60 : (layout.barWidth ?? 520);
  const rowH = layout.rowHeight ?? (stacked ? 30 : 16);
  const barTop = stacked ? 15 : 2;
  const legend = layout.legend ?? [];
  const perLine = Math.max(1, Math.floor((stacked ?? 600) / 64)); // legend entries per line
  const legendLines = Math.ceil(legend.length / perLine);
  const top = 22 + legendLines * 16;
  const max = Math.max(...rows.map((r) => r.value), 1e-12);
  const width = stacked ?? labelW + barW + 210; // room for the longest value text after a full bar
  const height = top + rows.length * rowH + 8;
  const s = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  s.append(svg('text', { x: 0, y: 14, 'font-weight': 600 }, title));
  legend.forEach((l, i) => {
    const x = (i % perLine) * 64,
      y = 22 + Math.floor(i / perLine) * 16;
    s.append(svg('circle', { cx: x + 5, cy: y + 7, r: 5, fill: l.color })); // not a rect: rects are the bars
    s.append(svg('text', { x: x + 14, y: y + 11, class: 'legend' }, l.label));
  });
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, (r.value / max) * barW);
    s.append(svg('text', stacked ? { x: 0, y: y + 11 } : { x: labelW - 6, y: y + 11, 'text-anchor': 'end' }, r.label));
    s.append(
      svg('rect', { x: labelW, y: y + barTop, width: w, height: stacked ? 10 : rowH - 4, fill: r.color, rx: 2 }),
    );
    s.append(svg('text', { x: labelW + w + 4, y: y + barTop + 9 }, stacked ? (r.short ?? r.text) : r.text));
  });
  return s;
}

/** Share of the probed roofline of every valid kernel case, coloured by version. */
export function kernelChart(rs: readonly BenchResult[], layout?: BarChartLayout): SVGSVGElement {
  const versions = [...new Set(rs.map((r) => r.version))];
  const rows = rs
    .filter((r) => r.valid && r.peak_share !== null)
    .map((r) => ({
      // A tower's case by its place in the tower; one outside the towers (the refinement) by its shape.
      label: `${r.op} ${r.version} · ${r.group ? `${r.group} ${r.role ?? r.shape}` : `${r.role ?? ''} ${r.shape}`}`,
      value: r.peak_share!,
      text: `${pct(r.peak_share)} · ${fmt(r.gflops)} GFLOP/s · ${fmt(r.gbps)} GB/s`,
      short: pct(r.peak_share),
      color: VERSION_COLORS[versions.indexOf(r.version) % VERSION_COLORS.length],
    }));
  const legend = versions.map((v, i) => ({ label: v, color: VERSION_COLORS[i % VERSION_COLORS.length] }));
  return barChart(
    rows,
    layout?.stacked
      ? 'Share of the probed roofline (colour = version)'
      : 'Share of the probed roofline per kernel version (colour = version)',
    { ...layout, legend },
  );
}

/** Batch-1 image encode latency: ours, and the peer's providers when the report has them. */
export function e2eChart(r: Pick<BenchReport, 'e2e' | 'peer'>, layout?: BarChartLayout): SVGSVGElement | null {
  const rows: Bar[] = [];
  if (r.e2e)
    rows.push({
      label: 'clip-webgpu, image batch 1',
      value: r.e2e.image_ms,
      text: `${fmt(r.e2e.image_ms)} ms`,
      color: VERSION_COLORS[0],
    });
  for (const [k, color] of [
    ['webgpu', VERSION_COLORS[3]],
    ['wasm', '#64748b'],
  ] as const) {
    const p = r.peer?.[k];
    if (p && !('error' in p))
      rows.push({
        label: `onnxruntime-web ${k}, image batch 1`,
        value: p.image_ms,
        text: `${fmt(p.image_ms)} ms`,
        color,
      });
  }
  return rows.length
    ? barChart(
        rows,
        layout?.stacked
          ? 'Image encode, batch 1 (ms, shorter is faster)'
          : 'Image encode latency, batch 1 (ms, shorter is faster)',
        layout,
      )
    : null;
}
