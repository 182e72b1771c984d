import { css } from 'lit';
import { tokens } from '../shared/theme.ts';

export const playgroundStyles = [
  tokens,
  css`
  :host {
    min-height: 100vh;
    display: flex;
    flex-direction: column;
    background: var(--clip-page, #f1f5f9);
  }
  .header {
    display: flex; align-items: center; justify-content: space-between; gap: 0.75rem 1.5rem; flex-wrap: wrap;
    padding: 0.9rem max(1rem, calc((100% - 1240px) / 2));
    background: var(--_surface);
    border-bottom: 1px solid var(--_border);
  }
  .brand { display: flex; align-items: center; gap: 0.75rem; min-width: 0; }
  .logo { width: 2.3rem; height: 2.3rem; flex: none; color: var(--_accent); }
  h1 { margin: 0; font-size: 1.3rem; line-height: 1.2; letter-spacing: -0.01em; }
  .thin { font-weight: 450; color: var(--_muted); }
  .tagline { margin: 0.1rem 0 0; font-size: 0.85rem; color: var(--_muted); }
  .chips { display: flex; gap: 0.5rem; flex-wrap: wrap; min-width: 0; }
  .chip {
    display: inline-flex; align-items: center; min-width: 0; max-width: 100%;
    border: 1px solid var(--_border); border-radius: 999px; font-size: 0.82rem; overflow: hidden; background: var(--_surface-2);
  }
  .chip-key { padding: 0.2rem 0.55rem; background: var(--_border); font-weight: 600; color: var(--_muted); }
  .chip-value { padding: 0.2rem 0.7rem 0.2rem 0.55rem; font-family: var(--_mono); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .chip.ok .chip-key { background: #d1fae5; color: var(--_success); }
  .chip.warn .chip-key { background: #fef3c7; color: #92400e; }
  .chip.bad .chip-key { background: var(--_danger-soft); color: var(--_danger); }

  .main {
    flex: 1;
    width: 100%;
    max-width: calc(1240px + 2rem);
    margin: 0 auto;
    padding: 1rem;
    display: grid;
    gap: 1rem;
    align-content: start;
  }
  .tabs { display: flex; gap: 0.25rem; border-bottom: 1px solid var(--_border); overflow-x: auto; margin-top: 0.25rem; }
  .tab {
    border: none; border-radius: 0; background: none; padding: 0.55rem 1rem; margin-bottom: -1px;
    border-bottom: 2px solid transparent; color: var(--_muted); font-weight: 600;
  }
  .tab:hover:not([aria-selected='true']) { color: var(--_text); border-color: transparent; }
  .tab:hover[aria-selected='true'] { border-color: transparent; border-bottom-color: var(--_accent); }
  .tab[aria-selected='true'] { color: var(--_accent); border-bottom-color: var(--_accent); }
  .panel { display: grid; gap: 0.75rem; }
  .panel[hidden] { display: none; }
  .blurb { margin: 0; color: var(--_muted); font-size: 0.92rem; }
  .footer {
    padding: 1rem; text-align: center; font-size: 0.8rem; color: var(--_muted);
  }
  @media (max-width: 600px) {
    .header { padding: 0.75rem; }
    .tagline { display: none; }
    .main { padding: 0.75rem; gap: 0.75rem; }
    .chips { width: 100%; }
    /* Every tab in view: a row that scrolls would cut the last one mid-word with no sign of more. */
    .tabs { flex-wrap: wrap; overflow-x: visible; gap: 0 0.1rem; }
    .tab { padding: 0.45rem 0.65rem; }
  }
`,
];
