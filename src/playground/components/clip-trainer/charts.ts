/**
 * The Train tab's figures as Lit templates: a line chart (the loss curve, zero-shot accuracy) and the
 * batch's similarity matrix as the CLIP paper draws it (Figure 1): images down the side, captions
 * across the top, the cosine of every pair in its cell, the matching pairs on the diagonal.
 */
import { html, nothing, svg } from 'lit';

export interface Series {
  name: string;
  points: readonly { x: number; y: number }[];
  /** A CSS colour. */
  colour: string;
}

export interface ChartOptions {
  /** The x range (default: the points'). */
  xMax?: number;
  /** The y range (default 0 to the points' max). */
  yMax?: number;
  /** Dashed horizontal lines: chance levels. */
  references?: readonly { y: number; label: string; colour: string }[];
  /** Formats a y tick. */
  format?: (y: number) => string;
  label: string;
}

const W = 600,
  H = 200,
  LEFT = 44,
  BOTTOM = 22,
  TOP = 8,
  RIGHT = 8;

export function lineChart(series: readonly Series[], o: ChartOptions) {
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, o.xMax ?? Math.max(1, ...all.map((p) => p.x)));
  const yMax = o.yMax ?? Math.max(1e-6, ...all.map((p) => p.y), ...(o.references ?? []).map((r) => r.y)) * 1.05;
  const fmt = o.format ?? ((y: number) => y.toFixed(2));
  const px = (x: number) => LEFT + ((W - LEFT - RIGHT) * x) / xMax;
  const py = (y: number) => TOP + (H - TOP - BOTTOM) * (1 - Math.min(y, yMax) / yMax);
  const ticks = [0, 0.5, 1].map((f) => f * yMax);
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${o.label} preserveAspectRatio="none">
    ${ticks.map(
      (t) => svg`<line class="grid" x1=${LEFT} x2=${W - RIGHT} y1=${py(t)} y2=${py(t)}></line>
        <text class="tick" x=${LEFT - 6} y=${py(t) + 4} text-anchor="end">${fmt(t)}</text>`,
    )}
    <text class="tick" x=${LEFT} y=${H - 6}>0</text>
    <text class="tick" x=${W - RIGHT} y=${H - 6} text-anchor="end">step ${xMax}</text>
    ${(o.references ?? []).map((r, i) => {
      // Labels alternate right and left, so two close chance lines stay readable.
      const x = i % 2 ? LEFT + 4 : W - RIGHT - 4;
      return svg`<line class="reference" x1=${LEFT} x2=${W - RIGHT} y1=${py(r.y)} y2=${py(r.y)} stroke=${r.colour}></line>
        <text class="tick" x=${x} y=${py(r.y) - 4} text-anchor=${i % 2 ? 'start' : 'end'} fill=${r.colour}>${r.label}</text>`;
    })}
    ${series.map((s) =>
      s.points.length
        ? svg`<polyline class="line" fill="none" stroke=${s.colour} stroke-width="2" vector-effect="non-scaling-stroke"
            points=${s.points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}></polyline>
          ${s.points.length < 40 ? s.points.map((p) => svg`<circle cx=${px(p.x)} cy=${py(p.y)} r="2.5" fill=${s.colour}></circle>`) : nothing}`
        : nothing,
    )}
  </svg>`;
}

export interface MatrixRow {
  thumbnail: string;
  caption: string;
}

/** Cosines [B, B] row-major; only the first `rows.length` rows and columns are drawn. */
export function similarityMatrix(cosines: Float32Array, B: number, rows: readonly MatrixRow[]) {
  const k = rows.length;
  const shown: number[] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) shown.push(cosines[i * B + j]);
  const lo = Math.min(...shown),
    hi = Math.max(...shown);
  const share = (v: number) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  return html`<table part="similarity" class="matrix" aria-label="Cosine similarity of the batch's images and captions">
    <thead><tr><th></th>${rows.map((r, j) => html`<th scope="col" class="caption" title=${r.caption}><span>${j + 1}. ${r.caption}</span></th>`)}</tr></thead>
    <tbody>${rows.map(
      (r, i) => html`<tr>
        <th scope="row"><img class="thumb" src=${r.thumbnail} alt=${`image ${i + 1}`} title=${`image ${i + 1}: ${r.caption}`}></th>
        ${rows.map((_, j) => {
          const v = cosines[i * B + j];
          const s = share(v);
          return html`<td part="cell" class=${i === j ? 'diag' : ''} data-cos=${v.toFixed(4)}
            style="background:color-mix(in srgb, var(--_accent) ${Math.round(s * 85)}%, transparent);color:${s > 0.55 ? 'var(--_on-accent)' : 'inherit'}">${v.toFixed(2)}</td>`;
        })}
      </tr>`,
    )}</tbody>
  </table>`;
}
