/**
 * `clip-webgpu eval --task detect`: each detection mode (the dense heads, the explanation maps, crops)
 * on the two-object scenes of a world folder: for each object's name, the top box against the
 * object's box, the share with IoU >= 0.5 and the mean IoU.
 */
import { DETECT_MODES, type DetectMode } from '../model/detect/index.ts';
import { namedDetectionScore, type DetectionScore } from '../model/world/index.ts';
import { UsageError, type ParsedArgs } from './args.ts';
import { refineArg, refineRuns, runName, withModel, type CliIo } from './common.ts';
import { namedPairImages } from './eval-explain.ts';
import { percent, table } from './format.ts';

export async function runDetectEval(args: ParsedArgs, io: CliIo): Promise<number> {
  const dir = args.need('data', '--data DIR');
  const modes = (args.str('methods')?.split(',') ?? [...DETECT_MODES]).map((m) => m.trim()) as DetectMode[];
  for (const m of modes) {
    if (!DETECT_MODES.includes(m))
      throw new UsageError(`--methods: unknown detection mode "${m}" (known: ${DETECT_MODES.join(', ')})`, 'eval');
  }
  const limit = args.int('limit', Number.MAX_SAFE_INTEGER);
  if (limit < 1) throw new UsageError(`--limit must be at least 1, got ${limit}`, 'eval');
  const items = await namedPairImages(dir, 'detect', limit);
  const refine = refineArg(args);

  await withModel(args, io, async (model) => {
    // With --refine, each map mode twice: as is, then refined by the image (PAMR).
    const runs = refineRuns(modes, refine, (mode) => mode !== 'crops');
    const scores: DetectionScore[] = [];
    const ms: number[] = [];
    for (const { method: mode, refine } of runs) {
      const t0 = performance.now();
      scores.push(await namedDetectionScore(model, items, mode, { refine }));
      ms.push((performance.now() - t0) / Math.max(1, scores.at(-1)!.trials));
    }
    if (args.flag('json')) {
      const methods = scores.map((s, k) => ({ ...s, ms_per_object: ms[k] }));
      io.stdout.write(`${JSON.stringify({ task: 'detect', model: model.name, images: items.length, methods })}\n`);
      return;
    }
    io.stdout.write(
      `Detection with ${model.name} on ${items.length} two-object scenes (${scores[0].trials} named objects):\n` +
        "the top box of each object's name against its box, each mode at its default threshold.\n\n" +
        table([
          ['mode', 'IoU >= 0.5', 'mean IoU', 'ms / object'],
          ...scores.map((s, k) => [
            runName(s.mode, s.refine),
            percent(s.accuracy, 1),
            s.meanIoU.toFixed(3),
            ms[k].toFixed(0),
          ]),
        ]) +
        '\n',
    );
  });
  return 0;
}
