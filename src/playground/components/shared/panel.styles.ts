import { css } from 'lit';

/**
 * The panels, their headings and the segmented control (a row of radio buttons) the playground's
 * elements share. Goes after `tokens` and before the element's own sheet, which may refine it.
 */
export const panelStyles = css`
  .panel {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.9rem 1rem 1rem;
    display: grid;
    gap: 0.7rem;
    min-width: 0;
  }
  h3 {
    margin: 0; font-size: 0.85rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em;
    color: var(--_muted); display: flex; align-items: center; gap: 0.5rem;
  }
  h3 label { cursor: pointer; }
  .small { font-size: 0.8rem; text-transform: none; letter-spacing: 0; font-weight: 400; }
`;

/** The segmented control's frame and states; each element sets `.segment span`'s size itself. */
export const segmentedStyles = css`
  .segmented {
    display: grid; grid-template-columns: repeat(3, 1fr);
    border: 1px solid var(--_border); border-radius: calc(var(--_radius) * 0.7); overflow: hidden; background: var(--_surface-2);
  }
  .segment { position: relative; display: grid; cursor: pointer; }
  .segment + .segment { border-left: 1px solid var(--_border); }
  .segment input { position: absolute; opacity: 0; inset: 0; margin: 0; cursor: pointer; }
  .segment input:checked + span { background: var(--_accent); color: var(--_on-accent); }
  .segment:hover input:not(:checked) + span { color: var(--_accent); }
  .segment input:focus-visible + span { outline: 2px solid var(--_accent); outline-offset: -3px; }
`;
