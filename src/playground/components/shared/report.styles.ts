import { css } from 'lit';

/**
 * The report layout of the elements that show tables and progress over a data set
 * (<clip-bias-probe>, <clip-dataset-eval>, <clip-benchmark>): panels, table, spinner, progress bar.
 */
export const reportStyles = css`
  :host { container-type: inline-size; }
  .layout { display: grid; grid-template-columns: minmax(16rem, 1fr) minmax(16rem, 1fr); gap: 1rem; align-items: start; }
  .results { grid-column: 1 / -1; }
  @container (max-width: 720px) { .layout { grid-template-columns: 1fr; } }
  .panel {
    background: var(--_surface); border: 1px solid var(--_border); border-radius: var(--_radius);
    padding: 0.9rem 1rem 1rem; display: grid; gap: 0.7rem; min-width: 0;
  }
  h3 {
    margin: 0; font-size: 0.85rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em;
    color: var(--_muted); display: flex; align-items: center; gap: 0.5rem; flex-wrap: wrap;
  }
  h3 button { text-transform: none; letter-spacing: 0; font-size: 0.85rem; }
  .spacer { flex: 1; }
  .small { font-size: 0.8rem; text-transform: none; letter-spacing: 0; font-weight: 400; }
  .empty { margin: 0.4rem 0; }
  .drop {
    border: 2px dashed var(--_border); border-radius: var(--_radius); background: var(--_surface-2);
    padding: 0.9rem; display: grid; gap: 0.6rem; font-size: 0.9rem; color: var(--_muted);
    transition: border-color 0.15s, background 0.15s;
  }
  .drop strong { color: var(--_text); }
  .drop.dragging { border-color: var(--_accent); background: var(--_accent-soft); }
  .row { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
  .new-group { display: flex; gap: 0.5rem; flex-wrap: wrap; }
  .new-group input { flex: 1 1 10rem; }
  select { font: inherit; padding: 0.4em 0.5em; border: 1px solid var(--_border); border-radius: calc(var(--_radius) * 0.7); background: var(--_surface); color: inherit; }
  textarea { width: 100%; resize: vertical; min-height: 6rem; font-family: var(--_mono); font-size: 0.9rem; line-height: 1.5; }
  .template-row { display: grid; gap: 0.25rem; }
  .template { font-family: var(--_mono); font-size: 0.9rem; }
  .progress { position: relative; height: 1.6rem; border-radius: calc(var(--_radius) * 0.6); background: var(--_accent-soft); overflow: hidden; }
  .progress-bar { position: absolute; inset: 0 auto 0 0; background: var(--_accent); opacity: 0.35; transition: width 0.2s; }
  .progress-text { position: relative; display: block; padding: 0.2rem 0.6rem; font-size: 0.85rem; }
  .spinner {
    width: 0.9rem; height: 0.9rem; border-radius: 50%; border: 2px solid var(--_accent-soft); border-top-color: var(--_accent);
    animation: spin 0.8s linear infinite; display: inline-block;
  }
  @keyframes spin { to { transform: rotate(360deg); } }
  .table { border-collapse: collapse; font-size: 0.88rem; width: 100%; }
  .table th, .table td { padding: 0.3rem 0.5rem; text-align: left; border-bottom: 1px solid var(--_border); }
  .table thead th { color: var(--_muted); font-weight: 600; font-size: 0.8rem; }
  .table .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .swatch { display: inline-block; width: 0.75rem; height: 0.75rem; border-radius: 3px; margin-right: 0.35rem; vertical-align: -1px; }
`;
