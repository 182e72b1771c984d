/** The CLI's argument parser and text formatting (no GPU, no processes). */
import { describe, it, expect } from 'vitest';
import { UsageError, commandHelp, parseCommandArgs, type CommandSpec } from '../../src/cli/args.ts';
import { bar, displayWidth, ellipsize, quote, table, vectorPreview } from '../../src/cli/format.ts';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'A demo command.',
  usage: 'demo [--text TEXT]...',
  options: {
    text: { type: 'string', multiple: true, value: 'TEXT', help: 'A prompt.' },
    model: { type: 'string', value: 'PATH', help: 'A model.' },
    json: { type: 'boolean', help: 'JSON.' },
    adapter: { type: 'string', choices: ['auto', 'gles'], help: 'Adapter.' },
    seed: { type: 'string', help: 'Seed.' },
  },
  positionals: ['REPO_ID'],
};

const usageError = (argv: string[]): string => {
  try {
    parseCommandArgs(spec, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('parseCommandArgs', () => {
  it('keeps repeated flags in order, empty values and --name=value forms', () => {
    const a = parseCommandArgs(spec, [
      '--text',
      'a',
      '--text=',
      '--text',
      '',
      '--text=-dash',
      '--json',
      'org/name',
      '--model',
      'm',
    ]);
    expect(a.list('text')).toEqual(['a', '', '', '-dash']);
    expect(a.flag('json')).toBe(true);
    expect(a.str('model')).toBe('m');
    expect(a.positionals).toEqual(['org/name']);
    expect(a.list('missing')).toEqual([]);
    expect(a.int('seed', 7)).toBe(7);
    expect(parseCommandArgs(spec, ['--seed=-3']).int('seed', 0)).toBe(-3);
    expect(parseCommandArgs(spec, ['--', '--not-a-flag']).positionals).toEqual(['--not-a-flag']);
  });

  it('names what is wrong in one line', () => {
    expect(usageError(['--jsno'])).toBe('unknown option --jsno for demo (did you mean --json?)');
    expect(usageError(['--model'])).toBe('--model needs a value');
    expect(usageError(['--json=yes'])).toBe('--json is a flag and takes no value');
    expect(usageError(['--text', '-x'])).toContain('--text=VALUE');
    expect(usageError(['--adapter', 'metal'])).toBe('--adapter must be one of auto, gles; got "metal"');
    expect(usageError(['a', 'b'])).toBe('unexpected argument "b" for demo');
    expect(() => parseCommandArgs(spec, ['--seed', '1.5']).int('seed', 0)).toThrow(
      '--seed must be an integer, got "1.5"',
    );
    expect(() => parseCommandArgs(spec, []).need('model', '--model PATH')).toThrow('demo needs --model PATH');
  });

  it('help lists every option with its value name, once', () => {
    const help = commandHelp(spec);
    expect(help.split('\n')[0]).toBe('Usage: clip-webgpu demo [--text TEXT]...');
    expect(help).toMatch(/--text TEXT\s+A prompt\. Repeatable\./);
    expect(help).toMatch(/--adapter VALUE\s+Adapter\. One of: auto, gles\./);
    expect(help).toMatch(/-h, --help\s+Show this help\./);
    const starts = help
      .split('\n')
      .filter((l) => l.startsWith('  -'))
      .map((l) => /^\s+\S.*?\s{2,}/.exec(l)![0].length);
    expect(new Set(starts).size).toBe(1); // descriptions aligned
  });
});

describe('format', () => {
  it('measures wide characters and aligns tables', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('🐶')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    const t = table(
      [
        ['label', 'prob'],
        ['東京', '1.00%'],
        ['dog', '99.00%'],
      ],
      { align: ['left', 'right'] },
    );
    expect(t).toBe('label    prob\n─────  ──────\n東京    1.00%\ndog    99.00%\n');
    expect(
      table(
        [
          ['a', ''],
          ['bb', 'x'],
        ],
        { header: false },
      ),
    ).toBe('a\nbb  x\n'); // no trailing spaces
  });

  it('bars, quotes, previews', () => {
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██');
    expect(bar(0.53, 4)).toBe('██▏');
    expect(bar(Number.NaN, 4)).toBe('');
    expect(quote('tab\there')).toBe('"tab\\there"');
    expect(quote('x'.repeat(100), 10)).toBe('"xxxxxxx…"');
    expect(ellipsize('東京タワー', 5)).toBe('東京…');
    expect(vectorPreview(new Float32Array([1, 2, 3, 4, 5, 6]))).toBe('[1.000, 2.000, 3.000, 4.000, …, 6.000]');
    expect(vectorPreview([0.5, -1])).toBe('[0.5000, -1.000]');
  });
});
