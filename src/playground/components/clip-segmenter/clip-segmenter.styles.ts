import { css } from 'lit';
import { panelStyles, segmentedStyles } from '../shared/panel.styles.ts';
import { tokens } from '../shared/theme.ts';

export const segmenterStyles = [
  tokens,
  panelStyles,
  segmentedStyles,
  css`
  :host { container-type: inline-size; }
  .layout {
    display: grid;
    grid-template-columns: minmax(14rem, 17rem) minmax(0, 1fr);
    grid-template-areas: 'controls view';
    gap: 1rem;
    align-items: start;
  }
  .controls-panel { grid-area: controls; }
  .view-panel { grid-area: view; }
  @container (max-width: 720px) {
    .layout { grid-template-columns: minmax(0, 1fr); grid-template-areas: 'view' 'controls'; }
  }
  .field { display: grid; gap: 0.3rem; }
  .field-label { font-size: 0.8rem; font-weight: 600; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; }
  .spacer { flex: 1; }
  .empty { margin: 0.4rem 0; }
  textarea { width: 100%; resize: vertical; min-height: 5.5rem; font-family: var(--_mono); font-size: 0.9rem; line-height: 1.5; }
  select, input[type='text'] {
    font: inherit; font-size: 0.9rem; padding: 0.35em 0.5em; min-width: 0;
    border: 1px solid var(--_border); border-radius: calc(var(--_radius) * 0.7); background: var(--_surface); color: inherit;
  }
  .methods { border: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; min-width: 0; }
  .methods legend { padding: 0; margin-bottom: 0.3rem; }
  /* Five methods: two rows of three columns. */
  .segment:nth-child(n + 4) { border-top: 1px solid var(--_border); }
  .segment:nth-child(4) { border-left: none; }
  .segment span { padding: 0.4rem 0.2rem; text-align: center; font-size: 0.85rem; font-weight: 550; color: var(--_muted); }
  .about { margin: 0; }
  .check { display: flex; gap: 0.4rem; align-items: baseline; font-size: 0.9rem; cursor: pointer; margin-top: 0.4rem; }
  .slider { display: flex; align-items: center; gap: 0.55rem; }
  .slider input { flex: 1; min-width: 5rem; accent-color: var(--_accent); }
  .slider output { font-variant-numeric: tabular-nums; min-width: 2.6rem; text-align: right; }

  .stage {
    position: relative; display: grid; place-items: center; min-height: 12rem; padding: 0.75rem;
    border: 2px dashed var(--_border); border-radius: var(--_radius); background: var(--_surface-2);
    transition: border-color 0.15s, background 0.15s;
  }
  .stage:not(.has-image) { cursor: pointer; aspect-ratio: 4 / 3; }
  .stage.has-image { border-style: solid; }
  .stage:not(.has-image):hover, .stage.dragging { border-color: var(--_accent); background: var(--_accent-soft); }
  .stage:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
  .placeholder { display: grid; justify-items: center; gap: 0.5rem; padding: 1rem; text-align: center; color: var(--_muted); font-size: 0.92rem; }
  .placeholder svg { width: 3rem; height: 3rem; color: var(--_accent); opacity: 0.8; }
  .placeholder strong { color: var(--_text); }
  .drop-hint {
    position: absolute; inset: 0.5rem; display: grid; place-items: center; border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_accent-soft) 85%, transparent); color: var(--_accent); font-weight: 600; pointer-events: none;
  }
  .frame { position: relative; width: min(100%, 32rem); box-shadow: 0 1px 3px #0f172a26; background: var(--_surface); }
  .frame canvas, .frame img { display: block; width: 100%; height: auto; }
  .frame canvas.pixelated { image-rendering: pixelated; }
  .frame .pending { position: absolute; inset: 0; display: grid; place-items: center; background: #ffffff99; }
  .cell-hover { position: absolute; border: 2px solid #0f172a; box-shadow: 0 0 0 1px #fff; pointer-events: none; }
  .legend { display: flex; flex-wrap: wrap; gap: 0.35rem 0.9rem; margin: 0; padding: 0; list-style: none; font-size: 0.88rem; }
  .legend li { display: flex; align-items: center; gap: 0.4rem; min-width: 0; }
  .legend li.hovered { font-weight: 650; }
  .swatch { width: 0.9rem; height: 0.9rem; border-radius: 0.2rem; border: 1px solid #0f172a33; flex: none; }
  .swatch.background { background: repeating-linear-gradient(45deg, #cbd5e1 0 3px, #fff 3px 6px); }
  .share { color: var(--_muted); font-variant-numeric: tabular-nums; }
  .readout { margin: 0; font-family: var(--_mono); font-size: 0.8rem; min-height: 1.2em; }
  .under-stage { display: flex; align-items: center; gap: 0.45rem; flex-wrap: wrap; }
  .samples { display: flex; align-items: center; gap: 0.45rem; flex-wrap: wrap; }
  .sample {
    padding: 0; width: 2.4rem; height: 2.4rem; border-radius: calc(var(--_radius) * 0.6); overflow: hidden;
    border: 2px solid var(--_border); background: var(--_surface);
  }
  .sample img { width: 100%; height: 100%; display: block; }
  .sample.selected { border-color: var(--_accent); }
  .meta { margin: 0; }
  .spinner {
    width: 0.8rem; height: 0.8rem; border-radius: 50%;
    border: 2px solid var(--_accent-soft); border-top-color: var(--_accent); animation: spin 0.8s linear infinite;
  }
  @keyframes spin { to { transform: rotate(360deg); } }
`,
];
