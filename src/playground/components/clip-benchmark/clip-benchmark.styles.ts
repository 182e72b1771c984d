import { css } from 'lit';
import { reportStyles } from '../shared/report.styles.ts';
import { tokens } from '../shared/theme.ts';

export const benchmarkStyles = [
  tokens,
  reportStyles,
  css`
  .layout { grid-template-columns: 1fr; }
  .controls { grid-template-columns: minmax(0, 1.4fr) minmax(0, 1fr); column-gap: 1.5rem; align-items: start; }
  .controls > h3, .controls > .actions, .controls > .progress, .controls > .error, .controls > .hint { grid-column: 1 / -1; }
  @container (max-width: 720px) { .controls { grid-template-columns: 1fr; } }
  fieldset { border: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; min-width: 0; }
  legend { padding: 0; margin-bottom: 0.3rem; font-size: 0.85rem; font-weight: 600; color: var(--_muted); }
  .shapes { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr)); gap: 0.25rem 1rem; }
  .shapes label, .check { display: flex; gap: 0.4rem; align-items: baseline; font-size: 0.9rem; cursor: pointer; }
  .shape-id { font-family: var(--_mono); font-size: 0.75rem; color: var(--_muted); }
  .numbers { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
  .numbers label { display: grid; gap: 0.15rem; font-size: 0.85rem; color: var(--_muted); }
  input[type='number'] {
    font: inherit; width: 5.5rem; padding: 0.35em 0.5em; color: inherit; background: var(--_surface);
    border: 1px solid var(--_border); border-radius: calc(var(--_radius) * 0.7);
  }
  .actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
  .actions a { color: var(--_accent); font-size: 0.9rem; }
  .hint { margin: 0; font-size: 0.85rem; }
  .facts { display: grid; grid-template-columns: auto 1fr; gap: 0.3rem 1rem; margin: 0; font-size: 0.9rem; }
  .facts dt { color: var(--_muted); }
  .facts dd { margin: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
  .exports { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
  .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
  .chart svg { display: block; }
  .chart-narrow { display: none; }
  @container (max-width: 720px) { .chart-wide { display: none; } .chart-narrow { display: block; } }
  .chart svg text { font: 11px var(--_font); fill: var(--_text); }
  .table td, .table th { white-space: nowrap; }
  .table tr.best td { background: color-mix(in srgb, var(--_success) 12%, transparent); }
  .table tr.best td:nth-child(2)::after { content: ' ★ fastest'; color: var(--_success); font-size: 0.75rem; font-weight: 600; }
  .table td.bad { color: var(--_danger); font-weight: 600; }
  /* Wide enough for a tower's six columns and share bars (24rem clipped the last column). */
  .towers { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 34rem), 1fr)); gap: 1rem; }
  .share { display: inline-block; height: 0.55rem; border-radius: 2px; background: var(--_accent); vertical-align: 1px; margin-right: 0.4rem; }
  .notes { margin: 0; padding-left: 1.2rem; font-size: 0.85rem; color: var(--_muted); }
`,
];
