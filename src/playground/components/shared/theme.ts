/**
 * Design tokens shared by the clip-* elements. Every token reads a public --clip-* custom property
 * first, so a page restyles all elements from one place:
 *   clip-classifier { --clip-accent: teal; --clip-radius: 4px; }
 */
import { css } from 'lit';

export const tokens = css`
  :host {
    --_accent: var(--clip-accent, #4f46e5);
    --_accent-soft: var(--clip-accent-soft, #eef2ff);
    --_on-accent: var(--clip-on-accent, #ffffff);
    --_text: var(--clip-text, #1f2937);
    --_muted: var(--clip-muted, #6b7280);
    --_surface: var(--clip-surface, #ffffff);
    --_surface-2: var(--clip-surface-2, #f8fafc);
    --_border: var(--clip-border, #e2e8f0);
    --_danger: var(--clip-danger, #b91c1c);
    --_danger-soft: var(--clip-danger-soft, #fef2f2);
    --_success: var(--clip-success, #047857);
    --_radius: var(--clip-radius, 10px);
    --_font: var(--clip-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_mono: var(--clip-font-mono, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
    display: block;
    box-sizing: border-box;
    color: var(--_text);
    font-family: var(--_font);
    font-size: 15px;
    line-height: 1.45;
  }
  :host([hidden]) { display: none; }
  *, *::before, *::after { box-sizing: inherit; }

  button {
    font: inherit;
    font-weight: 550;
    border-radius: calc(var(--_radius) * 0.7);
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_text);
    padding: 0.45em 0.95em;
    cursor: pointer;
    white-space: nowrap;
  }
  button:hover:not(:disabled) { border-color: var(--_accent); color: var(--_accent); }
  button.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_on-accent); }
  button.primary:hover:not(:disabled) { color: var(--_on-accent); filter: brightness(1.1); }
  button.link { border: none; background: none; padding: 0; color: var(--_accent); font-weight: 500; text-decoration: underline; }
  button:disabled { opacity: 0.55; cursor: default; }
  button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  input[type='text'], input:not([type]), textarea {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.7);
    padding: 0.45em 0.7em;
    min-width: 0;
  }
  .muted { color: var(--_muted); }
  .error {
    border: 1px solid color-mix(in srgb, var(--_danger) 35%, transparent);
    background: var(--_danger-soft);
    color: var(--_danger);
    border-radius: calc(var(--_radius) * 0.7);
    padding: 0.6em 0.85em;
    overflow-wrap: anywhere;
  }
  .error strong { display: block; margin-bottom: 0.15em; }
  .visually-hidden {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
  }
`;
