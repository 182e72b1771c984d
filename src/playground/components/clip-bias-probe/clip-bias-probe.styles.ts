import { css } from 'lit';
import { reportStyles } from '../shared/report.styles.ts';
import { tokens } from '../shared/theme.ts';

export const biasProbeStyles = [
  tokens,
  reportStyles,
  css`
  .groups { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; }
  .group-chip {
    display: inline-flex; align-items: center; gap: 0.35rem; padding: 0.2rem 0.3rem 0.2rem 0.55rem;
    border: 1px solid var(--_border); border-radius: 999px; background: var(--_surface-2); font-size: 0.9rem;
  }
  .group-name { font-weight: 600; }
  .remove { font-size: 1.1rem; line-height: 1; padding: 0 0.3rem; text-decoration: none; color: var(--_muted); }
  .legend { display: flex; flex-wrap: wrap; gap: 0.9rem; font-size: 0.88rem; }
  .chart-scroll { overflow-x: auto; }
  .chart { display: block; font-size: 11px; color: var(--_text); }
  .chart .grid { stroke: var(--_border); }
  .chart .axis { stroke: var(--_muted); }
  .chart .tick, .chart .xlabel { fill: var(--_muted); }
  .chart .whisker { stroke: currentColor; stroke-width: 1.3; }
  .table tr.first > * { border-top: 1px solid var(--_border); }
  .table.disparity { width: auto; min-width: 18rem; }
  .grid-title { margin: 0.6rem 0 0; font-size: 0.95rem; }
  .grid {
    list-style: none; margin: 0; padding: 0; display: grid; gap: 0.6rem;
    grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr));
  }
  .cell {
    display: grid; gap: 0.25rem; align-content: start; font-size: 0.8rem; content-visibility: auto; contain-intrinsic-size: 9.5rem 13rem;
    border: 1px solid var(--_border); border-radius: calc(var(--_radius) * 0.7); padding: 0.4rem; background: var(--_surface);
  }
  .cell img { width: 100%; aspect-ratio: 1; object-fit: cover; border-radius: calc(var(--_radius) * 0.5); background: var(--_surface-2); }
  .name { color: var(--_muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .top-line { font-family: var(--_mono); font-size: 0.75rem; overflow-wrap: anywhere; }
`,
];
