/** Counts read as English: "1 label", "2 labels", "1 class" (the newcomer walkthrough, issue 14 item 7). */
import { describe, expect, it } from 'vitest';
import { countOf } from '../../src/model/bias/format.ts';
import { run } from '../helpers/cli.ts';
import { TINY, TINY_IMAGES } from '../helpers/fixtures.ts';

describe('counts', () => {
  it('countOf', () => {
    expect(countOf(1, 'label')).toBe('1 label');
    expect(countOf(0, 'label')).toBe('0 labels');
    expect(countOf(2, 'class', 'classes')).toBe('2 classes');
    expect(countOf(1, 'class', 'classes')).toBe('1 class');
  });

  it('classify with one label says "1 label"', async () => {
    const r = await run(['classify', '--model', TINY, '--image', TINY_IMAGES[0], '--label', 'dog']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('(tiny-clip, 1 label, template "a photo of a {}.")');
  });
});
