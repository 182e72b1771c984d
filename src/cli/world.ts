/** `clip-webgpu world`: a procedural captioned world with ground truth, written as an open_clip CSV + PNGs + truth.json. */
import {
  CAPTION_STYLES,
  MAX_OBJECTS,
  MAX_SIZE,
  MIN_SIZE,
  SHIFTS,
  TONE_GROUPS,
  parseSpurious,
  type CaptionStyle,
  type Shift,
} from '../model/world/index.ts';
import { writeWorld } from '../node/world-writer.ts';
import { UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
import { JSON_OPTION, type CliIo } from './common.ts';

export const spec: CommandSpec = {
  name: 'world',
  summary:
    'Write procedural captioned scenes (shapes, colours, counts) with their ground truth, for training and tests.',
  usage:
    'world --out DIR --n N [--seed S] [--size PX] [--shift NAME] [--objects 1-3] [--spurious SHAPE:TONE=P] [--captions world|shape] [--json]',
  description:
    'Deterministic: the same arguments give the same pixels, captions and truth on every machine. Writes\n' +
    "DIR/captions.csv (tab-separated, columns filepath and title: open_clip's defaults), DIR/images/*.png,\n" +
    'DIR/masks/*.png (one per object) and DIR/truth.json (per image: caption, background, shift; per object:\n' +
    'shape, colour, size, box [x0, y0, x1, y1] with x1/y1 exclusive, mask). Scene i depends only on the seed\n' +
    'and the options, so a shifted world pairs scene by scene with the clean one of the same seed.\n' +
    '--spurious SHAPE:TONE=P injects a spurious correlation for the bias experiment: backgrounds are drawn\n' +
    `from two tone groups, dark (${TONE_GROUPS.dark.map((t) => t.join(',')).join(' ')}) and light\n` +
    `(${TONE_GROUPS.light.map((t) => t.join(',')).join(' ')}); a scene containing SHAPE gets TONE with probability P,\n` +
    'any other scene with probability 1 - P. triangle:dark=0.9: 90% of the scenes with a triangle are dark, 90%\n' +
    "of the others light; triangle:dark=0.5 is the control (tones independent of the shapes). Each scene's\n" +
    'background.tone and the spec are in truth.json; --json counts the tones with and without SHAPE.',
  options: {
    out: { type: 'string', value: 'DIR', help: 'Destination folder (created; must be empty if it exists).' },
    n: { type: 'string', value: 'N', help: 'Number of scenes.' },
    seed: { type: 'string', value: 'S', help: 'Seed, 0-4294967295 (default 0).' },
    size: {
      type: 'string',
      value: 'PX',
      help: `Image side in pixels, ${MIN_SIZE}-${MAX_SIZE} (default 64, the tiny model's input).`,
    },
    shift: {
      type: 'string',
      value: 'NAME',
      choices: ['none', ...SHIFTS],
      help:
        'Apply a distribution shift to every scene: outlines only, pixel noise, blur, rotated shapes, ' +
        'backgrounds never seen in training, texture-filled shapes (default none).',
    },
    objects: {
      type: 'string',
      value: 'MIN-MAX',
      help: `Objects per scene, a number or a range within 1-${MAX_OBJECTS} (default 1-3).`,
    },
    spurious: {
      type: 'string',
      value: 'SHAPE:TONE=P',
      help: 'Dark or light backgrounds correlated with a shape, e.g. triangle:dark=0.9 (see above).',
    },
    captions: {
      type: 'string',
      value: 'STYLE',
      choices: CAPTION_STYLES,
      help:
        'world: the varied captions (default); shape: the shapes alone ("a circle", "a circle and two stars"), ' +
        'the same pixels and truth, for shape-first training.',
    },
    ...JSON_OPTION,
  },
  examples: [
    'clip-webgpu world --out world/train --n 10000 --seed 1',
    'clip-webgpu world --out world/sketch --n 500 --seed 2 --objects 1 --shift sketch --json',
    'clip-webgpu world --out world/biased --n 10000 --seed 1 --spurious triangle:dark=0.9',
    'clip-webgpu world --out world/shapes --n 12800 --seed 3 --objects 1 --captions shape',
  ],
};

function objectRange(text: string | undefined): [number, number] {
  if (text === undefined) return [1, MAX_OBJECTS];
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  const [min, max] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
  if (!(min >= 1 && max <= MAX_OBJECTS && min <= max)) {
    throw new UsageError(
      `--objects must be a number or a range within 1-${MAX_OBJECTS} (e.g. 2 or 1-3), got ${JSON.stringify(text)}`,
      'world',
    );
  }
  return [min, max];
}

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const out = args.need('out', '--out DIR');
  args.need('n', '--n N');
  const n = args.int('n', 0);
  if (n < 1) throw new UsageError(`--n must be at least 1, got ${n}`, 'world');
  const seed = args.int('seed', 0);
  if (seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed must be from 0 to 4294967295, got ${seed}`, 'world');
  const size = args.int('size', 64);
  if (size < MIN_SIZE || size > MAX_SIZE)
    throw new UsageError(`--size must be from ${MIN_SIZE} to ${MAX_SIZE} pixels, got ${size}`, 'world');
  const objects = objectRange(args.str('objects'));
  const shift = (args.str('shift') ?? 'none') as Shift;
  const spec = args.str('spurious');
  const spurious = spec === undefined ? undefined : parseSpurious(spec);
  const captions = (args.str('captions') ?? 'world') as CaptionStyle;
  const progress = io.stderr.isTTY && !args.flag('json') && n >= 200;
  const summary = await writeWorld(
    out,
    { n, seed, size, shift, objects, spurious, captions },
    progress
      ? (done, total) => {
          if (done % 100 === 0 || done === total)
            io.stderr.write(`\rclip-webgpu: ${done}/${total} scenes${done === total ? '\r\x1b[K' : ''}`);
        }
      : undefined,
  );
  if (args.flag('json')) {
    io.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    io.stdout.write(
      `wrote ${out}: ${n} scenes (${size} px, shift ${shift}, ${objects[0]}-${objects[1]} objects` +
        `${spurious ? `, spurious ${spec}` : ''}${captions === 'world' ? '' : `, ${captions} captions`}), ` +
        `${summary.csv}, ${summary.truth}, images/, masks/ (${summary.masks}); sha256 ${summary.sha256.slice(0, 16)}\n`,
    );
  }
  return 0;
}
