/**
 * A small argument parser on top of node:util parseArgs: one spec per command gives the parser
 * its options (repeated flags included) and the help text its lines, so the two never disagree.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given several times; the values come back as a list in order. */
  multiple?: boolean;
  short?: string;
  /** Placeholder in the help text, e.g. "DIR". */
  value?: string;
  help: string;
  /** Allowed values (checked after parsing). */
  choices?: readonly string[];
}

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The usage line after "clip-webgpu ". */
  usage: string;
  /** Paragraphs printed after the usage line. */
  description?: string;
  options: Record<string, OptionSpec>;
  /** Names of positional arguments, in order (e.g. ["REPO_ID"]); none if absent. */
  positionals?: string[];
  examples?: string[];
}

/** Wrong command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionValue = string | boolean | string[] | boolean[] | undefined;

export class ParsedArgs {
  constructor(
    readonly command: string,
    readonly values: Record<string, OptionValue>,
    readonly positionals: string[],
  ) {}

  /** A string option, or undefined. */
  str(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }

  /** A required string option. */
  need(name: string, what = `--${name}`): string {
    const v = this.str(name);
    if (v === undefined) throw new UsageError(`${this.command} needs ${what}`, this.command);
    return v;
  }

  /** A repeated string option ([] when absent). */
  list(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** An integer option, checked. */
  int(name: string, fallback: number): number {
    const v = this.str(name);
    if (v === undefined) return fallback;
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v))) {
      throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(v)}`, this.command);
    }
    return Number(v);
  }
}

/** Options every command has. */
export const HELP_OPTION: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
};

interface NodeParseError extends Error {
  code?: string;
}

/** Parses `argv` (the words after the command name) against `spec`. */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const options = { ...spec.options, ...HELP_OPTION };
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, o] of Object.entries(options)) {
    config[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  }
  let parsed: { values: Record<string, OptionValue>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: config, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (e) {
    throw new UsageError(describeParseError(spec, e as NodeParseError), spec.name);
  }
  const args = new ParsedArgs(spec.name, parsed.values, parsed.positionals);
  if (args.flag('help')) return args; // help wins over everything else
  const allowed = spec.positionals?.length ?? 0;
  if (parsed.positionals.length > allowed) {
    const extra = parsed.positionals[allowed];
    throw new UsageError(
      `unexpected argument ${JSON.stringify(extra)} for ${spec.name}` +
        (allowed === 0 && !extra.startsWith('-') ? ` (values go after a flag, e.g. ${valueExample(spec)})` : ''),
      spec.name,
    );
  }
  for (const [name, o] of Object.entries(spec.options)) {
    if (!o.choices) continue;
    const values = args.list(name);
    for (const v of values) {
      if (!o.choices.includes(v)) {
        throw new UsageError(`--${name} must be one of ${o.choices.join(', ')}; got ${JSON.stringify(v)}`, spec.name);
      }
    }
  }
  return args;
}

function describeParseError(spec: CommandSpec, e: NodeParseError): string {
  const flag = /'(-[^' ]*)/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag} for ${spec.name}${suggest(spec, flag)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(e.message)) return `${flag} needs a value`;
      if (/does not take an argument/.test(e.message)) return `${flag} is a flag and takes no value`;
      if (/ambiguous/.test(e.message)) {
        return `the value after ${flag} starts with "-": write ${flag}=VALUE for values that start with a dash`;
      }
      return oneLine(e.message);
    default:
      return oneLine(e.message);
  }
}

/** " (did you mean --x?)" for a near miss. */
function suggest(spec: CommandSpec, flag: string): string {
  const name = flag.replace(/^-+/, '').split('=')[0];
  const near = nearest(name, Object.keys(spec.options));
  return near && name ? ` (did you mean --${near}?)` : '';
}

/** The candidate `word` was most likely meant to be (a prefix either way, or at most two edits), if any. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  if (!word) return undefined;
  const prefix = candidates.find((c) => c.startsWith(word) || word.startsWith(c));
  if (prefix) return prefix;
  const [best] = candidates.map((c) => [c, editDistance(c, word)] as const).sort((a, b) => a[1] - b[1]);
  return best && best[1] <= 2 ? best[0] : undefined;
}

/** A flag of this command with a value, for hints: the text it takes, else its labels, else its first. */
function valueExample(spec: CommandSpec): string {
  const examples: Record<string, string> = {
    text: '--text "a photo of a dog"',
    label: '--label dog',
    image: '--image cat.jpg',
  };
  const name = ['text', 'label', 'image'].find((n) => n in spec.options);
  if (name) return examples[name];
  const first = Object.entries(spec.options).find(([, o]) => o.type === 'string');
  return first ? `--${first[0]} ${first[1].value ?? 'VALUE'}` : '--help';
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The help text of a command. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`Usage: clip-webgpu ${spec.usage}`, '', spec.summary];
  if (spec.description) lines.push('', spec.description);
  const rows = Object.entries({ ...spec.options, ...HELP_OPTION }).map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : '';
    const value = o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : '';
    const text = o.help + (o.multiple ? ' Repeatable.' : '') + (o.choices ? ` One of: ${o.choices.join(', ')}.` : '');
    return [`  ${short}--${name}${value}`, text];
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  lines.push('', 'Options:', ...rows.map(([l, r]) => l.padEnd(width) + r));
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((x) => `  ${x}`));
  return lines.join('\n') + '\n';
}
