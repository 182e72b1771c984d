import { css } from 'lit';
import { panelStyles, segmentedStyles } from '../shared/panel.styles.ts';
import { tokens } from '../shared/theme.ts';

export const patchDetectorStyles = [
  tokens,
  panelStyles,
  segmentedStyles,
  css`
  :host { container-type: inline-size; }
  .layout {
    display: grid;
    grid-template-columns: minmax(14rem, 16.5rem) minmax(0, 1fr) minmax(16rem, 20rem);
    grid-template-areas: 'controls view legend';
    gap: 1rem;
    align-items: start;
  }
  .controls-panel { grid-area: controls; }
  .view-panel { grid-area: view; }
  .legend-panel { grid-area: legend; }
  @container (max-width: 1000px) {
    .layout { grid-template-columns: minmax(0, 1fr) minmax(15rem, 19rem); grid-template-areas: 'view controls' 'view legend'; }
  }
  @container (max-width: 640px) {
    .layout { grid-template-columns: minmax(0, 1fr); grid-template-areas: 'view' 'legend' 'controls'; }
  }
  .field { display: grid; gap: 0.3rem; }
  .field-label { font-size: 0.8rem; font-weight: 600; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; }
  .spacer { flex: 1; }
  .empty { margin: 0.4rem 0; }

  textarea {
    width: 100%; resize: vertical; min-height: 7rem;
    font-family: var(--_mono); font-size: 0.9rem; line-height: 1.5;
  }
  .template { font-family: var(--_mono); font-size: 0.9rem; }

  .modes { border: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; min-width: 0; }
  .modes legend { padding: 0; margin-bottom: 0.3rem; }
  .segment span { padding: 0.4rem 0.3rem; text-align: center; font-size: 0.9rem; font-weight: 550; color: var(--_muted); }
  .about { margin: 0; }
  .check { display: flex; gap: 0.4rem; align-items: baseline; font-size: 0.9rem; cursor: pointer; margin-top: 0.4rem; }

  .toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.2rem; }
  .slider, .colour-by { display: flex; align-items: center; gap: 0.55rem; min-width: 0; }
  .slider { flex: 1 1 15rem; }
  .slider input { flex: 1; min-width: 6rem; accent-color: var(--_accent); }
  .slider-value { font-variant-numeric: tabular-nums; font-size: 0.9rem; white-space: nowrap; min-width: 6.5rem; }
  .colour-by { flex: 0 1 auto; }
  select {
    font: inherit; font-size: 0.9rem; padding: 0.35em 0.5em; min-width: 0; max-width: 14rem;
    border: 1px solid var(--_border); border-radius: calc(var(--_radius) * 0.7); background: var(--_surface); color: inherit;
  }

  .stage {
    position: relative;
    display: grid;
    place-items: center;
    min-height: 14rem;
    padding: 0.75rem;
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-2);
    transition: border-color 0.15s, background 0.15s;
  }
  .stage:not(.has-image) { cursor: pointer; aspect-ratio: 4 / 3; }
  .stage.has-image { border-style: solid; background: repeating-conic-gradient(#0f172a08 0 25%, transparent 0 50%) 0 0 / 16px 16px; }
  .stage:not(.has-image):hover, .stage.dragging { border-color: var(--_accent); background: var(--_accent-soft); }
  .stage:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
  .placeholder { display: grid; justify-items: center; gap: 0.5rem; padding: 1rem; text-align: center; color: var(--_muted); font-size: 0.92rem; }
  .placeholder svg { width: 3rem; height: 3rem; color: var(--_accent); opacity: 0.8; }
  .placeholder strong { color: var(--_text); }
  .drop-hint {
    position: absolute; inset: 0.5rem; display: grid; place-items: center; border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_accent-soft) 85%, transparent); color: var(--_accent); font-weight: 600; pointer-events: none;
  }

  .frame {
    position: relative;
    width: min(100%, calc(30rem * var(--ratio, 1)));
    box-shadow: 0 1px 3px #0f172a26;
  }
  .frame img { display: block; width: 100%; height: 100%; object-fit: fill; user-select: none; -webkit-user-drag: none; }
  .frame img.pixelated { image-rendering: pixelated; }
  .grid { position: absolute; inset: 0; width: 100%; height: 100%; display: block; touch-action: manipulation; }
  .cell { stroke: #ffffffb3; stroke-width: 1; vector-effect: non-scaling-stroke; transition: fill-opacity 0.2s; }
  .cell-hover { fill: none; stroke: #0f172a; stroke-width: 2.5; vector-effect: non-scaling-stroke; pointer-events: none; }
  .outside { fill: #0f172a; fill-opacity: 0.45; pointer-events: none; }
  .boxes { position: absolute; inset: 0; pointer-events: none; }
  .box {
    position: absolute;
    border: 2px solid var(--c);
    border-radius: 3px;
    box-shadow: 0 0 0 1px #ffffffcc, inset 0 0 0 1px #ffffffcc;
  }
  .box-label {
    position: absolute; left: -2px; bottom: 100%; z-index: 1;
    max-width: max(100% + 4px, 9rem);
    padding: 0.05rem 0.35rem; border-radius: 3px 3px 3px 0;
    background: var(--c); color: #fff; font-size: 0.75rem; font-weight: 600; line-height: 1.35;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  }
  .box.label-inside .box-label { bottom: auto; top: 0; left: 0; border-radius: 0 0 3px 0; }
  .box-score { font-weight: 450; opacity: 0.9; font-variant-numeric: tabular-nums; }

  .under-stage { display: flex; align-items: center; gap: 0.45rem; flex-wrap: wrap; }
  .samples { display: flex; align-items: center; gap: 0.45rem; flex-wrap: wrap; }
  .sample {
    padding: 0; width: 2.4rem; height: 2.4rem; border-radius: calc(var(--_radius) * 0.6); overflow: hidden;
    border: 2px solid var(--_border); background: var(--_surface);
  }
  .sample img { width: 100%; height: 100%; display: block; }
  .sample.selected { border-color: var(--_accent); }
  .meta { margin: 0; display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 1rem; overflow-wrap: anywhere; }
  .scale { display: inline-flex; align-items: center; gap: 0.4rem; font-variant-numeric: tabular-nums; }
  .scale-bar {
    display: inline-block; width: 5.5rem; height: 0.65rem; border-radius: 999px; border: 1px solid var(--_border);
    background: linear-gradient(90deg, color-mix(in srgb, var(--c) 4%, transparent), color-mix(in srgb, var(--c) 70%, transparent));
  }

  .readout { margin: 0; min-height: 1.3em; }
  .legend { border-collapse: collapse; width: 100%; font-size: 0.9rem; table-layout: fixed; }
  .legend th, .legend td { padding: 0.28rem 0.3rem; border-bottom: 1px solid var(--_border); text-align: left; }
  .legend thead th { color: var(--_muted); font-weight: 600; font-size: 0.78rem; }
  .legend thead th:first-child { width: auto; }
  .legend thead th.num { width: 3.5rem; }
  .legend thead th:last-child { width: 3rem; }
  .legend .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .legend tbody th { font-weight: 400; }
  .query {
    display: flex; align-items: center; gap: 0.45rem; width: 100%; min-width: 0; padding: 0.15rem 0.25rem; margin: -0.15rem -0.25rem;
    border: none; background: none; font-weight: 450; text-align: left; border-radius: calc(var(--_radius) * 0.5);
    white-space: normal;
  }
  .query:hover:not(:disabled) { color: inherit; background: var(--_surface-2); }
  .query-text {
    min-width: 0; overflow: hidden; overflow-wrap: anywhere; line-height: 1.3;
    display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2;
  }
  .swatch { flex: none; display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 3px; }
  tr.active .query { background: var(--_accent-soft); font-weight: 600; }
  tr.winner td:nth-child(2) { font-weight: 700; }
  tr.winner .query-text { font-weight: 650; }
  .note { margin: 0; }

  .spinner {
    width: 0.8rem; height: 0.8rem; border-radius: 50%;
    border: 2px solid var(--_accent-soft); border-top-color: var(--_accent);
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin { to { transform: rotate(360deg); } }
`,
];
