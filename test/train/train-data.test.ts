/** readTrainData on the inputs the fuzz class found wanting: each is one bounded line naming row and file. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTrainData, type CsvKeys } from '../../src/node/train-data.ts';
import { TINY_IMAGES } from '../helpers/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'clip-train-data-test-'));
copyFileSync(TINY_IMAGES[0], join(dir, 'img0.png'));
mkdirSync(join(dir, 'folder.png'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(text: string | Uint8Array, keys: CsvKeys = {}): Promise<string> {
  const file = join(dir, 'captions.tsv');
  writeFileSync(file, text);
  const e = await readTrainData(file, keys).then(
    () => undefined,
    (x: Error) => x,
  );
  expect(e?.name).toBe('ClipError');
  expect(e?.message).not.toMatch(/[\r\n]/);
  expect(e?.message.length).toBeLessThan(500);
  expect(e?.message).toContain(file);
  return e?.message ?? '';
}

describe('readTrainData names the row and file of bad data', () => {
  it('an empty separator (it used to loop until the heap ran out)', async () => {
    expect(await errorOf('filepath\ttitle\nimg0.png\tcat\n', { separator: '' })).toContain('--csv-separator ""');
  });

  it('a quoted field never closed', async () => {
    expect(await errorOf('filepath\ttitle\nimg0.png\tcat\nimg0.png\t"dog\n')).toContain('row 3: a quoted field');
  });

  it('bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('filepath\ttitle\nimg0.png\tcat\nimg0.png\tca'), Buffer.from([0xff])]);
    expect(await errorOf(bytes)).toContain('line 3: not UTF-8');
  });

  it('a folder, or a path of 100k characters, for an image', async () => {
    expect(await errorOf('filepath\ttitle\nfolder.png\tcat\n')).toMatch(/row 2: image .*folder\.png" is a folder/);
    expect(await errorOf(`filepath\ttitle\n${'p'.repeat(100_000)}\tcat\n`)).toMatch(
      /row 2: image "[^"]*…" does not exist/,
    );
  });

  it('a device as the data', async () => {
    await expect(readTrainData('/dev/zero')).rejects.toThrow('/dev/zero is not a regular file');
  });

  it('quoting, a BOM and CRLF read back to the captions written', async () => {
    const file = join(dir, 'ok.csv');
    writeFileSync(file, '\uFEFFfilepath,title\r\nimg0.png,"a, ""b""\r\nc"\r\n\r\n');
    const rows = await readTrainData(file, { separator: ',' });
    expect(rows.map((r) => r.caption)).toEqual(['a, "b"\r\nc']);
  });
});
