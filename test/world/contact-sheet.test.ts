/**
 * The README's contact sheet (test/world/contact-sheet.png) is what the generator draws today:
 * rows = clean scenes, then each shift of the same scenes; columns = seeds 0..5 of world seed 7.
 * CLIP_WEBGPU_WRITE_CONTACT_SHEET=1 rewrites it after an intended change of the world.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { SHIFTS, generateWorld, type Shift } from '../../src/model/world/index.ts';

const FILE = join(__dirname, 'contact-sheet.png');
const SIZE = 64,
  SCALE = 2,
  GAP = 4,
  COLUMNS = 6,
  ROWS: Shift[] = ['none', ...SHIFTS];

function sheet(): PNG {
  const side = SIZE * SCALE,
    cell = side + GAP; // white gaps between the scenes
  const png = new PNG({ width: COLUMNS * cell - GAP, height: ROWS.length * cell - GAP });
  png.data.fill(255);
  ROWS.forEach((shift, r) => {
    generateWorld({ n: COLUMNS, seed: 7, size: SIZE, shift }).forEach((s, c) => {
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          const from = 4 * (Math.floor(y / SCALE) * SIZE + Math.floor(x / SCALE));
          const to = 4 * ((r * cell + y) * png.width + c * cell + x);
          for (let k = 0; k < 4; k++) png.data[to + k] = s.pixels[from + k];
        }
      }
    });
  });
  return png;
}

describe('world contact sheet', () => {
  it('is the committed picture, under 200 KB', () => {
    const drawn = sheet();
    if (process.env.CLIP_WEBGPU_WRITE_CONTACT_SHEET === '1') {
      writeFileSync(FILE, PNG.sync.write(drawn, { colorType: 2 }));
    }
    const bytes = readFileSync(FILE);
    expect(bytes.byteLength).toBeLessThan(200_000);
    expect(PNG.sync.read(bytes).data.equals(drawn.data)).toBe(true);
  });
});
