import { css } from 'lit';
import { tokens } from '../shared/theme.ts';

export const loaderStyles = [
  tokens,
  css`
  .card {
    position: relative;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1rem 1.1rem 0.8rem;
    display: grid;
    gap: 0.7rem;
  }
  form { display: grid; gap: 0.35rem; margin: 0; }
  .label { font-weight: 600; font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--_muted); }
  .row { display: flex; gap: 0.5rem; flex-wrap: wrap; }
  .row input { flex: 1 1 16rem; font-family: var(--_mono); font-size: 0.92rem; }
  .buttons { display: flex; gap: 0.5rem; }
  .hint { margin: 0; font-size: 0.85rem; }
  .hint code { font-family: var(--_mono); font-size: 0.8rem; }

  .progress { display: grid; gap: 0.3rem; }
  .track { height: 8px; border-radius: 999px; background: var(--_accent-soft); overflow: hidden; }
  .fill { height: 100%; background: var(--_accent); border-radius: inherit; transition: width 0.2s ease-out; }
  .fill.indeterminate { animation: slide 1.2s ease-in-out infinite; }
  @keyframes slide { from { transform: translateX(-100%); } to { transform: translateX(340%); } }
  .progress-text { font-size: 0.88rem; font-variant-numeric: tabular-nums; color: var(--_muted); overflow-wrap: anywhere; }

  .status { margin: 0; display: flex; gap: 0.5rem; align-items: baseline; overflow-wrap: anywhere; }
  .status.ready strong { font-family: var(--_mono); font-size: 0.92rem; font-weight: 600; }
  .dot { flex: none; width: 0.6rem; height: 0.6rem; border-radius: 50%; background: var(--_success); transform: translateY(-0.05rem); }

  .cache {
    display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; flex-wrap: wrap;
    border-top: 1px solid var(--_border); padding-top: 0.6rem; font-size: 0.85rem;
  }
  .cache button { font-size: 0.85rem; }

  .drop-overlay {
    display: none;
    position: absolute; inset: 0;
    border: 2px dashed var(--_accent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_accent-soft) 92%, transparent);
    color: var(--_accent);
    font-weight: 600;
    place-items: center;
    pointer-events: none;
  }
  .dragging .drop-overlay { display: grid; }
`,
];
