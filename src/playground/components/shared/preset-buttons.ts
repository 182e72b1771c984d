/** The row of world presets (shapes, colours) an element offers beside its labels. */
import { html } from 'lit';
import { WORLD_PRESETS, type WorldPreset } from '../../world-presets.ts';

/** "Presets: Shapes · Colours": each button hands its preset to `pick`. */
export function presetButtons(pick: (preset: WorldPreset) => void) {
  return html`<p part="presets" class="presets muted small">
    <span>Presets for the shipped model:</span>
    ${Object.values(WORLD_PRESETS).map(
      (p) => html`<button type="button" class="link" data-preset=${p.id} @click=${() => pick(p)}>${p.title}</button> `,
    )}
  </p>`;
}
