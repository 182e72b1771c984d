/** A grouped bar chart of a bias report's top-1 rates, one bar per group and label, with Wilson 95% whiskers. */
import { svg, type SVGTemplateResult } from 'lit';
import type { BiasReport } from '../../../model/bias/probe.ts';
import { seriesColour } from '../shared/colours.ts';

/** The plot's width in px when few labels would leave it narrower (a card is ~1,200 px wide). */
const PLOT_WIDTH = 900;
const MAX_BAR = 56;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function biasChart(r: BiasReport): SVGTemplateResult {
  const G = r.groups.length,
    L = r.labels.length;
  const minBar = G > 4 ? 12 : 18,
    gap = 20,
    plotH = 170,
    top = 12,
    left = 42;
  const rotate = L > 5;
  const bottom = rotate ? 78 : 34;
  // Few labels would make a narrow chart in a wide card: spread the clusters over at least
  // PLOT_WIDTH and widen the bars (up to MAX_BAR); many labels keep their minimum and scroll.
  const natural = L * (G * minBar + (G - 1) * 2 + gap);
  const plotW = Math.max(natural, PLOT_WIDTH);
  const slot = plotW / L;
  const bar = Math.min(MAX_BAR, Math.max(minBar, (slot - gap - (G - 1) * 2) / G));
  const cluster = G * bar + (G - 1) * 2;
  const width = left + plotW + 8;
  const height = top + plotH + bottom;
  const y = (v: number) => top + plotH * (1 - v);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return svg`
    <svg part="chart" class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img"
      style="max-width: ${width}px; min-width: ${left + natural + 8}px"
      aria-label="Top-1 rate per label and group, with 95% intervals">
      ${ticks.map(
        (t) => svg`
        <line class="grid" x1=${left} x2=${width - 4} y1=${y(t)} y2=${y(t)}></line>
        <text class="tick" x=${left - 6} y=${y(t) + 4} text-anchor="end">${t * 100}%</text>`,
      )}
      ${r.labels.map((label, j) => {
        const x0 = left + j * slot + (slot - cluster) / 2;
        const cx = x0 + cluster / 2;
        const short = label.length > 18 ? `${label.slice(0, 17)}…` : label;
        return svg`
          <g class="cluster">
            ${r.groups.map((g, gi) => {
              const x = x0 + gi * (bar + 2);
              const [lo, hi] = g.ci[j];
              const mid = x + bar / 2;
              return svg`
                <g class="bar" data-group=${g.name} data-label=${label}>
                  <title>${g.name} · ${label}: ${g.counts[j]}/${g.n} = ${pct(g.rates[j])} (95% CI ${pct(lo)}–${pct(hi)})</title>
                  <rect x=${x} y=${y(g.rates[j])} width=${bar} height=${Math.max(plotH * g.rates[j], 0.5)} fill=${seriesColour(gi)}></rect>
                  <line class="whisker" x1=${mid} x2=${mid} y1=${y(lo)} y2=${y(hi)}></line>
                  <line class="whisker" x1=${mid - 4} x2=${mid + 4} y1=${y(lo)} y2=${y(lo)}></line>
                  <line class="whisker" x1=${mid - 4} x2=${mid + 4} y1=${y(hi)} y2=${y(hi)}></line>
                </g>`;
            })}
            <text class="xlabel" x=${cx} y=${top + plotH + 16} text-anchor=${rotate ? 'end' : 'middle'}
              transform=${rotate ? `rotate(-35 ${cx} ${top + plotH + 16})` : ''}><title>${label}</title>${short}</text>
          </g>`;
      })}
      <line class="axis" x1=${left} x2=${width - 4} y1=${y(0)} y2=${y(0)}></line>
    </svg>`;
}
