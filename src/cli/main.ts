/**
 * The `clip-webgpu` command line. `main` returns the exit code instead of exiting, so tests can
 * call it in-process: 0 done, 1 a problem with the input or the machine (one line on stderr
 * naming it), 2 a wrong command line.
 */
import { version } from '../../package.json';
import { isClipError } from '../node/index.ts';
import {
  UsageError,
  commandHelp,
  nearest,
  oneLine,
  parseCommandArgs,
  type CommandSpec,
  type ParsedArgs,
} from './args.ts';
import type { CliIo } from './common.ts';
import * as bench from './bench.ts';
import * as bias from './bias.ts';
import * as classify from './classify.ts';
import * as convert from './convert.ts';
import * as detect from './detect.ts';
import * as download from './download.ts';
import * as embed from './embed.ts';
import * as evaluate from './eval.ts';
import * as gradcam from './gradcam.ts';
import * as info from './info.ts';
import * as randomModel from './random-model.ts';
import * as segment from './segment.ts';
import * as tokenize from './tokenize.ts';
import * as train from './train.ts';
import * as world from './world.ts';

export type { CliIo, CliStream } from './common.ts';

interface Command {
  spec: CommandSpec;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

const COMMANDS: Command[] = [
  embed,
  classify,
  detect,
  segment,
  gradcam,
  bias,
  evaluate,
  train,
  tokenize,
  info,
  convert,
  download,
  randomModel,
  world,
  bench,
];

export const VERSION: string = version;

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return (
    [
      'Usage: clip-webgpu COMMAND [options]',
      '',
      'CLIP (ViT) inference in hand-written WebGPU kernels.',
      '',
      'Commands:',
      ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
      '',
      'Run `clip-webgpu COMMAND --help` for its options. Also: --version, --help.',
      'Environment: CLIP_WEBGPU_ADAPTER=auto|system|swiftshader|gles, HF_ENDPOINT, CLIP_WEBGPU_DEBUG=1 (stack traces).',
    ].join('\n') + '\n'
  );
}

export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const fail = (message: string, code: number, e?: unknown): number => {
    io.stderr.write(`clip-webgpu: ${oneLine(message)}\n`);
    if (debug() && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return code;
  };
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = topic === undefined ? undefined : COMMANDS.find((c) => c.spec.name === topic);
    if (topic !== undefined && !cmd)
      return fail(`unknown command "${topic}"${didYouMean(topic)}; commands: ${commandNames()}`, 2);
    io.stdout.write(cmd ? commandHelp(cmd.spec) : usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.spec.name === name);
  if (!cmd) {
    return fail(
      name.startsWith('-')
        ? `unknown option ${name}: a command comes first (${commandNames()}); see clip-webgpu --help`
        : `unknown command "${name}"${didYouMean(name)}; commands: ${commandNames()}; see clip-webgpu --help`,
      2,
    );
  }
  // --help wins, even next to a wrong option.
  const dashdash = rest.indexOf('--');
  if ((dashdash < 0 ? rest : rest.slice(0, dashdash)).some((a) => a === '--help' || a === '-h')) {
    io.stdout.write(commandHelp(cmd.spec));
    return 0;
  }
  try {
    const args = parseCommandArgs(cmd.spec, rest);
    if (args.flag('help')) {
      io.stdout.write(commandHelp(cmd.spec));
      return 0;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} (see clip-webgpu ${cmd.spec.name} --help)`, 2, e);
    if (isClipError(e)) return fail(e.message, 1, e);
    if (e instanceof Error) {
      return fail(`${e.message || e.name}${debug() ? '' : ' (set CLIP_WEBGPU_DEBUG=1 for the stack trace)'}`, 1, e);
    }
    return fail(`unexpected failure: ${String(e)}`, 1);
  }
}

/** " (did you mean classify?)" for a near miss of a command name. */
function didYouMean(name: string): string {
  const near = nearest(
    name,
    COMMANDS.map((c) => c.spec.name),
  );
  return near ? ` (did you mean ${near}?)` : '';
}

function commandNames(): string {
  return COMMANDS.map((c) => c.spec.name).join(', ');
}

function debug(): boolean {
  const v = process.env.CLIP_WEBGPU_DEBUG;
  return v !== undefined && v !== '' && v !== '0';
}
