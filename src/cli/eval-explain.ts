/**
 * `clip-webgpu eval --task explain`: each explanation method (Grad-CAM, Grad-CAM++, relevance, and a
 * random order as the baseline) on the two-object scenes of a world folder: the pointing game, and the
 * deletion / insertion areas of the named object's probability among every colour-and-shape name.
 */
import { GRADCAM_METHODS } from '../model/explain/index.ts';
import {
  COLOUR_NAMES,
  explanationScore,
  namePrompt,
  SHAPES,
  type ExplanationMethod,
  type ExplanationScore,
  type NamedImage,
} from '../model/world/index.ts';
import { ClipError } from '../errors.ts';
import { readWorldFolder, worldPairImages } from '../node/world-folder.ts';
import { UsageError, type ParsedArgs } from './args.ts';
import { refineArg, refineRuns, runName, withModel, type CliIo } from './common.ts';
import { percent, table } from './format.ts';

export const EXPLAIN_METHODS: readonly ExplanationMethod[] = [...GRADCAM_METHODS, 'random'];

/** The named two-object scenes of a world folder (`worldPairImages`), at least one. */
export async function namedPairImages(dir: string, task: string, limit: number): Promise<NamedImage[]> {
  const items = await worldPairImages(await readWorldFolder(dir, `--task ${task}`), limit);
  if (items.length === 0)
    throw new ClipError('input', `${dir} has no two-object scenes of different shapes and colours to ${task}`);
  return items;
}

export async function runExplainEval(args: ParsedArgs, io: CliIo): Promise<number> {
  const dir = args.need('data', '--data DIR');
  const methods = (args.str('methods')?.split(',') ?? [...EXPLAIN_METHODS]).map((m) => m.trim()) as ExplanationMethod[];
  for (const m of methods) {
    if (!EXPLAIN_METHODS.includes(m))
      throw new UsageError(`--methods: unknown method "${m}" (known: ${EXPLAIN_METHODS.join(', ')})`, 'eval');
  }
  const limit = args.int('limit', Number.MAX_SAFE_INTEGER);
  if (limit < 1) throw new UsageError(`--limit must be at least 1, got ${limit}`, 'eval');
  const steps = args.int('steps', 16);
  if (steps < 1) throw new UsageError(`--steps must be at least 1, got ${steps}`, 'eval');
  const items = await namedPairImages(dir, 'explain', limit);
  const labels = COLOUR_NAMES.flatMap((c) => SHAPES.map((s) => namePrompt({ colour: c, shape: s })));

  await withModel(args, io, async (model) => {
    // With --refine, each method twice: as is, then ordering the patches by its map refined by the image (PAMR).
    const refine = refineArg(args);
    const runs = refineRuns(methods, refine, (method) => method !== 'random');
    const scores: ExplanationScore[] = [];
    const ms: number[] = [];
    for (const { method, refine } of runs) {
      const t0 = performance.now();
      scores.push(await explanationScore(model, items, method, { labels, steps, refine }));
      ms.push((performance.now() - t0) / Math.max(1, scores.at(-1)!.trials));
    }
    if (args.flag('json')) {
      io.stdout.write(
        JSON.stringify({
          task: 'explain',
          model: model.name,
          images: items.length,
          labels: labels.length,
          steps,
          methods: scores.map((s, k) => ({ ...s, ms_per_object: ms[k] })),
        }) + '\n',
      );
      return;
    }
    io.stdout.write(
      `Explanations of ${model.name} on ${items.length} two-object scenes (${scores[0].trials} named objects);\n` +
        `probability of the object's name among ${labels.length} colour-and-shape names, ${steps} steps per curve.\n\n` +
        table([
          [
            'method',
            'pointing game',
            'deletion AUC (lower is better)',
            'insertion AUC (higher is better)',
            'ms / object',
          ],
          ...scores.map((s, k) => [
            runName(s.method, s.refine),
            percent(s.pointing, 1),
            s.deletion.toFixed(3),
            s.insertion.toFixed(3),
            ms[k].toFixed(0),
          ]),
        ]) +
        '\n',
    );
  });
  return 0;
}
