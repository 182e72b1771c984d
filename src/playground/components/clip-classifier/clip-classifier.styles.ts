import { css } from 'lit';
import { panelStyles } from '../shared/panel.styles.ts';
import { tokens } from '../shared/theme.ts';

export const classifierStyles = [
  tokens,
  panelStyles,
  css`
  :host { container-type: inline-size; }
  .layout {
    display: grid;
    grid-template-columns: minmax(15rem, 19rem) minmax(14rem, 1fr) minmax(16rem, 1.25fr);
    gap: 1rem;
    align-items: start;
  }
  @container (max-width: 960px) {
    .layout { grid-template-columns: minmax(14rem, 18rem) 1fr; }
    .result-panel { grid-column: 1 / -1; }
  }
  @container (max-width: 600px) {
    .layout { grid-template-columns: 1fr; }
    .drop { aspect-ratio: 4 / 3; }
  }

  .drop {
    position: relative;
    aspect-ratio: 1;
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-2);
    display: grid;
    place-items: center;
    cursor: pointer;
    overflow: hidden;
    transition: border-color 0.15s, background 0.15s;
  }
  .drop.has-image { border-style: solid; background: #0f172a0a; }
  .drop:hover, .drop.dragging { border-color: var(--_accent); background: var(--_accent-soft); }
  .drop:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
  .drop img { width: 100%; height: 100%; object-fit: contain; image-rendering: auto; }
  .placeholder { display: grid; justify-items: center; gap: 0.5rem; padding: 1rem; text-align: center; color: var(--_muted); font-size: 0.92rem; }
  .placeholder svg { width: 3rem; height: 3rem; color: var(--_accent); opacity: 0.8; }
  .placeholder strong { color: var(--_text); }

  .samples { display: flex; align-items: center; gap: 0.45rem; flex-wrap: wrap; font-size: 0.85rem; }
  .sample {
    padding: 0; width: 2.6rem; height: 2.6rem; border-radius: calc(var(--_radius) * 0.6); overflow: hidden;
    border: 2px solid var(--_border); background: var(--_surface);
  }
  .sample img { width: 100%; height: 100%; display: block; }
  .sample.selected { border-color: var(--_accent); }

  textarea {
    width: 100%; resize: vertical; min-height: 8.5rem;
    font-family: var(--_mono); font-size: 0.9rem; line-height: 1.5;
  }
  .templates { border: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; min-width: 0; }
  .templates legend { padding: 0; margin-bottom: 0.3rem; font-size: 0.85rem; font-weight: 600; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; }
  .choice { display: flex; gap: 0.5rem; align-items: baseline; cursor: pointer; }
  .choice input { accent-color: var(--_accent); }
  .template { margin-left: 1.55rem; font-family: var(--_mono); font-size: 0.9rem; }
  .template:disabled { opacity: 0.5; }

  .chart { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
  .row {
    display: grid;
    grid-template-columns: minmax(4.5rem, 38%) 1fr 4.2rem;
    align-items: center;
    gap: 0.6rem;
    font-size: 0.93rem;
  }
  .bar-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .bar-track { height: 0.9rem; border-radius: 999px; background: var(--_surface-2); border: 1px solid var(--_border); overflow: hidden; }
  .bar {
    display: block; height: 100%;
    background: color-mix(in srgb, var(--_accent) 45%, var(--_surface));
    border-radius: inherit;
    transition: width 0.35s ease-out;
  }
  .row.top .bar { background: var(--_accent); }
  .row.top .bar-label { font-weight: 650; }
  .bar-value { text-align: right; font-variant-numeric: tabular-nums; color: var(--_muted); }
  .row.top .bar-value { color: var(--_text); font-weight: 600; }
  .meta { margin: 0; overflow-wrap: anywhere; }
  .empty { margin: 0.5rem 0; }

  .spinner {
    width: 0.8rem; height: 0.8rem; border-radius: 50%;
    border: 2px solid var(--_accent-soft); border-top-color: var(--_accent);
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin { to { transform: rotate(360deg); } }
`,
];
