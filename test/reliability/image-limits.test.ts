/**
 * An image whose header claims more pixels than we decode is refused from its header, with a clear
 * ClipError('image'), before any buffer is allocated (issue 14.1: no out-of-memory on absurd sizes).
 */
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from '../../src/model/preprocess/preprocess.ts';
import { decodeImageBytes } from '../../src/node/decode-image.ts';
import { pngClaiming } from '../fuzz/cases/images.ts';

describe('image size limits', () => {
  it('refuses 10000x10000 (100 MP) by its pixel count, and 20000x5 by its side', () => {
    expect(10_000 * 10_000).toBeGreaterThan(MAX_IMAGE_PIXELS);
    expect(() => decodeImageBytes(pngClaiming(10_000, 10_000), 'big.png')).toThrow(
      /big\.png is 10000x10000 pixels \(100 megapixels\); the most supported is 89\.5 megapixels/,
    );
    expect(() => decodeImageBytes(pngClaiming(MAX_IMAGE_SIDE + 1, 5), 'wide.png')).toThrow(
      /largest supported side is 16384 px/,
    );
  });

  it('decodes a 1x1 image', () => {
    const img = decodeImageBytes(pngClaiming(1, 1, 6), 'dot.png');
    expect([img.width, img.height, img.data.length]).toEqual([1, 1, 4]);
  });
});
