import { css } from 'lit';
import { reportStyles } from '../shared/report.styles.ts';
import { tokens } from '../shared/theme.ts';

export const trainerStyles = [
  tokens,
  reportStyles,
  css`
    .fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: 0.5rem 0.75rem; }
    .fields label { display: grid; gap: 0.15rem; font-size: 0.8rem; color: var(--_muted); }
    input[type='number'] {
      font: inherit; color: inherit; background: var(--_surface); border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.7); padding: 0.35em 0.5em; min-width: 0; font-variant-numeric: tabular-nums;
    }
    .choice { display: flex; gap: 0.45rem; align-items: center; }
    .status { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
    .status b { font-weight: 600; }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
    .chart { width: 100%; height: 12rem; background: var(--_surface-2); border-radius: calc(var(--_radius) * 0.6); }
    .chart .grid { stroke: var(--_border); stroke-width: 1; vector-effect: non-scaling-stroke; }
    .chart .reference { stroke-dasharray: 5 4; stroke-width: 1; vector-effect: non-scaling-stroke; }
    .chart .tick { font-size: 11px; fill: var(--_muted); font-family: var(--_font); }
    .legend { display: flex; gap: 1rem; font-size: 0.8rem; color: var(--_muted); flex-wrap: wrap; }
    .matrix-scroll { overflow-x: auto; }
    .matrix { border-collapse: collapse; font-size: 0.78rem; font-variant-numeric: tabular-nums; }
    .matrix th { font-weight: 500; color: var(--_muted); padding: 0.2rem; }
    .matrix th.caption { vertical-align: bottom; width: 4.4rem; max-width: 4.4rem; }
    .matrix th.caption span {
      display: -webkit-box; -webkit-line-clamp: 4; -webkit-box-orient: vertical; overflow: hidden;
      font-size: 0.72rem; line-height: 1.2; text-align: left; overflow-wrap: break-word;
    }
    .matrix td { width: 4.4rem; height: 3.6rem; text-align: center; border: 1px solid var(--_border); }
    .matrix td.diag { outline: 2px solid var(--_success); outline-offset: -2px; }
    .thumb { width: 3.4rem; height: 3.4rem; object-fit: cover; border-radius: 4px; display: block; image-rendering: pixelated; }
  `,
];
