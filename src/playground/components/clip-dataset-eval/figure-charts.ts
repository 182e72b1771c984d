/**
 * The Evaluate tab's two figures as plain SVG (no chart library): zero-shot accuracy per shift as bars
 * with their Wilson 95% intervals, and the linear probe's k-shot curve (mean over draws, min–max
 * whiskers) against the zero-shot line. Colours come from the theme's `--_*` tokens.
 */
import { css, html, svg } from 'lit';

export interface ShiftBar {
  /** 'none' is drawn as "clean". */
  shift: string;
  accuracy: number;
  ci: [number, number];
  n: number;
}

export interface KShotPoint {
  shots: number | 'all';
  accuracy: number;
  min: number;
  max: number;
}

const W = 440,
  H = 240,
  LEFT = 40,
  RIGHT = 12,
  TOP = 14,
  BOTTOM = 66; // room for the shift names, turned 30°
const plotH = H - TOP - BOTTOM;
const yOf = (acc: number) => TOP + plotH * (1 - Math.min(1, Math.max(0, acc)));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function yAxis() {
  return [0, 0.25, 0.5, 0.75, 1].map(
    (t) => svg`<line class="grid" x1=${LEFT} x2=${W - RIGHT} y1=${yOf(t)} y2=${yOf(t)}></line>
      <text class="tick" x=${LEFT - 6} y=${yOf(t) + 4} text-anchor="end">${100 * t}%</text>`,
  );
}

/** The charts' styles, for the element's static styles. */
export const chartStyles = css`
  svg.chart { width: 100%; max-width: 34rem; height: auto; font: 11px system-ui, sans-serif; overflow: visible; }
  .chart .grid { stroke: var(--_border); stroke-width: 1; }
  .chart .tick, .chart .label { fill: var(--_muted); }
  .chart .value { fill: currentColor; font-weight: 600; }
  .chart .bar { fill: var(--_accent); }
  .chart .bar.clean { fill: var(--_success); }
  .chart .whisker { stroke: currentColor; stroke-width: 1.2; }
  .chart .curve { fill: none; stroke: var(--_accent); stroke-width: 2; }
  .chart .dot { fill: var(--_accent); }
  .chart .zero-shot { stroke: var(--_success); stroke-width: 2; stroke-dasharray: 6 4; }
  .chart .zero-shot-label { fill: var(--_success); font-weight: 600; }
`;

/** Accuracy per world: clean first, then each shift, with the 95% interval as a whisker. */
export function shiftChart(bars: readonly ShiftBar[]) {
  const slot = (W - LEFT - RIGHT) / Math.max(1, bars.length);
  const bw = Math.min(40, slot * 0.6);
  return html`<svg part="shift-chart" class="chart" viewBox="0 0 ${W} ${H}" role="img"
    aria-label=${`Zero-shot accuracy per shift: ${bars.map((b) => `${b.shift === 'none' ? 'clean' : b.shift} ${pct(b.accuracy)}`).join(', ')}`}>
    ${yAxis()}
    ${bars.map((b, i) => {
      const cx = LEFT + slot * (i + 0.5);
      const name = b.shift === 'none' ? 'clean' : b.shift;
      return svg`<g class="shift" data-shift=${b.shift} data-accuracy=${b.accuracy}>
        <title>${name}: ${pct(b.accuracy)} of ${b.n} (95% CI ${pct(b.ci[0])}–${pct(b.ci[1])})</title>
        <rect class="bar ${b.shift === 'none' ? 'clean' : ''}" x=${cx - bw / 2} y=${yOf(b.accuracy)} width=${bw}
          height=${Math.max(0, yOf(0) - yOf(b.accuracy))} rx="2"></rect>
        <line class="whisker" x1=${cx} x2=${cx} y1=${yOf(b.ci[0])} y2=${yOf(b.ci[1])}></line>
        <line class="whisker" x1=${cx - 4} x2=${cx + 4} y1=${yOf(b.ci[1])} y2=${yOf(b.ci[1])}></line>
        <line class="whisker" x1=${cx - 4} x2=${cx + 4} y1=${yOf(b.ci[0])} y2=${yOf(b.ci[0])}></line>
        <text class="value" x=${cx} y=${yOf(b.ci[1]) - 4} text-anchor="middle">${Math.round(100 * b.accuracy)}%</text>
        <text class="label" x=${cx} y=${H - BOTTOM + 14} text-anchor="end" transform="rotate(-30 ${cx} ${H - BOTTOM + 14})">${name}</text>
      </g>`;
    })}
  </svg>`;
}

/** The probe's mean accuracy per k (log₂ axis, "all" last) with min–max whiskers, and the zero-shot line. */
export function kShotChart(points: readonly KShotPoint[], zeroShot: number) {
  const counted = points.filter((p) => p.shots !== 'all') as (KShotPoint & { shots: number })[];
  const maxLog = Math.max(1, ...counted.map((p) => Math.log2(p.shots)));
  const slots = maxLog + (points.some((p) => p.shots === 'all') ? 1.5 : 0);
  const xOf = (p: KShotPoint) =>
    LEFT + 14 + ((W - LEFT - RIGHT - 28) * (p.shots === 'all' ? slots : Math.log2(p.shots))) / slots;
  const line = counted.map((p) => `${xOf(p)},${yOf(p.accuracy)}`).join(' ');
  return html`<svg part="kshot-chart" class="chart" viewBox="0 0 ${W} ${H}" role="img"
    aria-label=${`Linear probe accuracy by training images per class: ${points.map((p) => `${p.shots} ${pct(p.accuracy)}`).join(', ')}; zero-shot ${pct(zeroShot)}`}>
    ${yAxis()}
    <line class="zero-shot" x1=${LEFT} x2=${W - RIGHT} y1=${yOf(zeroShot)} y2=${yOf(zeroShot)}><title>zero-shot ${pct(zeroShot)}</title></line>
    <polyline class="curve" points=${line}></polyline>
    ${points.map((p) => {
      const x = xOf(p);
      return svg`<g class="point" data-shots=${p.shots} data-accuracy=${p.accuracy}>
        <title>${p.shots === 'all' ? 'all training images' : `${p.shots} per class`}: ${pct(p.accuracy)} (draws ${pct(p.min)}–${pct(p.max)})</title>
        <line class="whisker" x1=${x} x2=${x} y1=${yOf(p.min)} y2=${yOf(p.max)}></line>
        <circle class="dot" cx=${x} cy=${yOf(p.accuracy)} r="4"></circle>
        <text class="label" x=${x} y=${H - BOTTOM + 16} text-anchor="middle">${p.shots}</text>
      </g>`;
    })}
    <g class="legend" transform="translate(${LEFT + 8} ${H - BOTTOM + 34})">
      <line class="zero-shot" x1="0" x2="22" y1="-4" y2="-4"></line>
      <text class="zero-shot-label" x="28" y="0">zero-shot ${pct(zeroShot)}</text>
      <line class="curve" x1="150" x2="172" y1="-4" y2="-4"></line><circle class="dot" cx="161" cy="-4" r="3"></circle>
      <text class="label" x="178" y="0">linear probe (mean of draws, min–max)</text>
    </g>
    <text class="label" x=${(LEFT + W - RIGHT) / 2} y=${H - 6} text-anchor="middle">training images per class</text>
  </svg>`;
}
