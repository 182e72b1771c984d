/**
 * config.json, mutated: fields deleted, renamed or set to odd values at any depth (sizes of 1e9,
 * floats, strings, nested objects), and the text itself cut, bit-flipped or replaced by an HTML page.
 * Each is parsed and checked against the tiny checkpoint's tensors, as ClipModel.load does before any
 * GPU work.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkConfigAgainstTensors, expectedClipTensors, parseClipConfig } from '../../../src/model/config.ts';
import { parseJsonObject } from '../../../src/model/file-checks.ts';
import { SafetensorsFile } from '../../../src/model/safetensors/reader.ts';
import { MemorySource } from '../../../src/model/sources.ts';
import { TINY } from '../../helpers/fixtures.ts';
import type { CaseGenerator } from '../harness.ts';
import { bitFlips, mutateJson, truncate, utf8 } from '../mutate.ts';

const TEXT = readFileSync(resolve(TINY, 'config.json'), 'utf8');
const JSON_CONFIG = JSON.parse(TEXT);
let tensors: SafetensorsFile['tensors'] | undefined;

async function tinyTensors() {
  tensors ??= (
    await SafetensorsFile.open(new MemorySource(readFileSync(resolve(TINY, 'model.safetensors')), 'model.safetensors'))
  ).tensors;
  return tensors;
}

export const configCases: CaseGenerator = (rng) => {
  let text: string;
  let label: string;
  const op = rng.int(10);
  if (op < 6) {
    let json: unknown = JSON_CONFIG;
    const paths: string[] = [];
    for (let k = 0; k <= rng.int(3); k++) {
      const m = mutateJson(json, rng);
      json = m.value;
      paths.push(m.path);
    }
    text = JSON.stringify(json);
    label = paths.join('; ');
  } else if (op === 6) {
    text = new TextDecoder().decode(truncate(utf8(TEXT), rng));
    label = 'truncated text';
  } else if (op === 7) {
    text = new TextDecoder().decode(bitFlips(utf8(TEXT), rng, 1 + rng.int(4)));
    label = 'bit flips';
  } else if (op === 8) {
    text = rng.pick([
      '<!doctype html><html><body>index</body></html>',
      '',
      'null',
      '[]',
      '"clip"',
      '{"model_type":"bert"}',
      '{"text_config":[]}',
    ]);
    label = `replaced by ${JSON.stringify(text.slice(0, 20))}`;
  } else {
    const json = structuredClone(JSON_CONFIG);
    const tower = rng.pick(['text_config', 'vision_config']);
    json[tower][
      rng.pick([
        'hidden_size',
        'num_hidden_layers',
        'intermediate_size',
        'num_attention_heads',
        'image_size',
        'patch_size',
        'vocab_size',
        'max_position_embeddings',
      ])
    ] = rng.pick([1e6, 1e9, 2 ** 31, 2 ** 53 - 1, 0, 1, 7]);
    text = JSON.stringify(json);
    label = `absurd ${tower} size`;
  }
  return {
    label,
    run: async () => {
      const config = parseClipConfig(parseJsonObject(text, 'config.json', 'config'));
      checkConfigAgainstTensors(config, await tinyTensors());
      return expectedClipTensors(config).length;
    },
  };
};
