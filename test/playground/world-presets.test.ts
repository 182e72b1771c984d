/** The world presets the playground offers with the shipped model, and the model card's Markdown blocks. */
import { describe, expect, it } from 'vitest';
import {
  COLOUR_NAMES,
  ENSEMBLE_TEMPLATES,
  SHAPES,
  ZERO_SHOT_TEMPLATES,
  zeroShotPrompts,
} from '../../src/model/world/index.ts';
import { markdownBlocks } from '../../src/playground/components/clip-model-card/markdown.ts';
import {
  DEFAULT_WORLD_PRESET,
  isPresetLabels,
  PresetFollower,
  presetPrompts,
  ShippedChoice,
  WORLD_PRESETS,
} from '../../src/playground/world-presets.ts';

describe('world presets', () => {
  it("are the world's labels with its zero-shot and ensemble templates, {} where the label goes", () => {
    expect(WORLD_PRESETS.shapes.labels).toEqual(SHAPES);
    expect(WORLD_PRESETS.colours.labels).toEqual(COLOUR_NAMES);
    expect(WORLD_PRESETS.shapes.template).toBe(ZERO_SHOT_TEMPLATES.shape.replace('{shape}', '{}'));
    expect(WORLD_PRESETS.colours.template).toBe(ZERO_SHOT_TEMPLATES.colour.replace('{colour}', '{}'));
    expect(WORLD_PRESETS.shapes.ensemble).toHaveLength(ENSEMBLE_TEMPLATES.shape.length);
    expect(WORLD_PRESETS.colours.ensemble.every((t) => t.includes('{}') && !t.includes('{colour}'))).toBe(true);
    // The shape prompts are the acceptance tests' own ("a circle", ...).
    expect(presetPrompts(WORLD_PRESETS.shapes)).toEqual(zeroShotPrompts('shape', SHAPES));
    expect(DEFAULT_WORLD_PRESET).toBe(WORLD_PRESETS.colours); // what the shipped model knows
  });

  it('follow the model: the shipped one brings the colour preset, another the defaults back, edited labels stay', () => {
    const f = new PresetFollower();
    expect(f.next(false, true)).toBeNull(); // first model not shipped: keep the element's defaults
    expect(f.next(true, true)).toBe(WORLD_PRESETS.colours);
    expect(f.next(true, true)).toBeNull(); // same kind of model: no change
    expect(f.next(false, true)).toBe('defaults');
    expect(f.next(true, false)).toBeNull(); // the user's own labels
    const labels = ['cat', 'dog'];
    expect(isPresetLabels(labels, labels)).toBe(true);
    expect(isPresetLabels([...SHAPES], labels)).toBe(true);
    expect(isPresetLabels(zeroShotPrompts('shape', SHAPES), labels)).toBe(true);
    expect(isPresetLabels(['cat'], labels)).toBe(false);
  });

  it("a shipped choice: the shipped model's setting while untouched, the element's back after it, none once chosen", () => {
    const c = new ShippedChoice('gradcam', 'relevance');
    expect(c.next(false, 'gradcam')).toBeNull();
    expect(c.next(true, 'gradcam')).toBe('relevance');
    expect(c.next(true, 'relevance')).toBeNull();
    expect(c.next(false, 'relevance')).toBe('gradcam');
    expect(c.next(true, 'legrad')).toBeNull(); // a page's own setting stays
    expect(c.next(false, 'legrad')).toBeNull();
    const d = new ShippedChoice(
      { mode: 'patches', refine: false },
      { mode: 'relevance', refine: true },
      (s) => `${s.mode} ${s.refine}`,
    );
    expect(d.next(true, { mode: 'patches', refine: false })).toEqual({ mode: 'relevance', refine: true });
    d.chosen(); // the user picked a mode: the model no longer decides
    expect(d.next(false, { mode: 'relevance', refine: true })).toBeNull();
    expect(d.next(true, { mode: 'patches', refine: false })).toBeNull();
  });
});

describe('model card Markdown', () => {
  it('reads headings, paragraphs, lists, code and tables; skips front matter', () => {
    const md = [
      '---',
      'license: mit',
      '---',
      '# shapes-clip',
      'A small CLIP',
      'trained on the world.',
      '',
      '- 64 px',
      '- 2 layers',
      '',
      '| shift | accuracy |',
      '|---|---:|',
      '| none | 0.9 |',
      '',
      '```sh',
      'scripts/learn-world.sh',
      '```',
    ].join('\n');
    expect(markdownBlocks(md)).toEqual([
      { kind: 'heading', level: 1, text: 'shapes-clip' },
      { kind: 'paragraph', text: 'A small CLIP trained on the world.' },
      { kind: 'list', ordered: false, items: ['64 px', '2 layers'] },
      {
        kind: 'table',
        rows: [
          ['shift', 'accuracy'],
          ['none', '0.9'],
        ],
      },
      { kind: 'code', text: 'scripts/learn-world.sh' },
    ]);
  });
});
