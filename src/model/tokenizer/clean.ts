/**
 * Text cleaning of OpenAI's clip/simple_tokenizer.py, reproduced character for character:
 *   basic_clean      = ftfy.fix_text (identity here) -> html.unescape twice -> str.strip()
 *   whitespace_clean = regex.sub(r'\s+', ' ', t).strip()
 * followed by str.lower(). The whitespace sets differ between Python and JS, hence the
 * explicit classes below (checked against Python over every code point).
 */
import { ClipError } from '../../errors.ts';
// Python's html.entities.html5, generated (keys without ';', plus the legacy names that also
// match without it) by:
//   python3 -c "import html.entities as h,json,sys; d=h.html5; print(json.dumps({'_source':'Python %d.%d html.entities.html5'%sys.version_info[:2],
//     'legacy':' '.join(sorted(k for k in d if k[-1]!=';')),'entities':{k[:-1]:v for k,v in d.items() if k[-1]==';'}},
//     ensure_ascii=False,separators=(',',':')))" > html-entities.json
import entityData from './html-entities.json';

/**
 * `\s` of the `regex` module (simple_tokenizer does `import regex as re`): JS `\s` minus U+FEFF
 * plus U+0085. Note: no U+001C..U+001F, unlike str.isspace().
 */
export const PY_REGEX_SPACE = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** str.isspace() (used by str.strip()): the regex `\s` set plus U+001C..U+001F. */
const PY_STRIP_CLASS = `[${PY_REGEX_SPACE}\\x1c-\\x1f]`;
const STRIP_RE = new RegExp(`^${PY_STRIP_CLASS}+|${PY_STRIP_CLASS}+$`, 'gu');
const SPACE_RUN_RE = new RegExp(`[${PY_REGEX_SPACE}]+`, 'gu');

/** Python str.strip() with no argument. */
export function pyStrip(text: string): string {
  return text.replace(STRIP_RE, '');
}

/** Python `regex.sub(r'\s+', ' ', text).strip()`. */
export function whitespaceClean(text: string): string {
  return pyStrip(text.replace(SPACE_RUN_RE, ' '));
}

/** ftfy.fix_text is treated as the identity (ftfy is not available to the project). */
export function basicClean(text: string): string {
  return pyStrip(htmlUnescape(htmlUnescape(text)));
}

/**
 * Python str.lower(). JS toLowerCase uses the same full mappings (including final sigma and
 * U+0130 -> "i\u0307"); only characters newer than the runtime's Unicode tables can differ.
 */
export function pyLower(text: string): string {
  return text.toLowerCase();
}

/** The whole normalisation SimpleTokenizer.encode applies before the pre-tokenizer regex. */
export function cleanText(text: string): string {
  return pyLower(whitespaceClean(basicClean(text)));
}

// ---------------------------------------------------------------------------------------------
// html.unescape (CPython Lib/html/__init__.py)

// Same pattern as CPython's _charref; the `u` flag makes {1,32} count code points as Python does.
const CHARREF_RE = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;

// Numeric references the HTML5 spec remaps (CPython _invalid_charrefs), as code points.
const INVALID_CHARREFS: ReadonlyMap<number, number> = new Map([
  [0x00, 0xfffd],
  [0x0d, 0x0d],
  [0x80, 0x20ac],
  [0x81, 0x81],
  [0x82, 0x201a],
  [0x83, 0x0192],
  [0x84, 0x201e],
  [0x85, 0x2026],
  [0x86, 0x2020],
  [0x87, 0x2021],
  [0x88, 0x02c6],
  [0x89, 0x2030],
  [0x8a, 0x0160],
  [0x8b, 0x2039],
  [0x8c, 0x0152],
  [0x8d, 0x8d],
  [0x8e, 0x017d],
  [0x8f, 0x8f],
  [0x90, 0x90],
  [0x91, 0x2018],
  [0x92, 0x2019],
  [0x93, 0x201c],
  [0x94, 0x201d],
  [0x95, 0x2022],
  [0x96, 0x2013],
  [0x97, 0x2014],
  [0x98, 0x02dc],
  [0x99, 0x2122],
  [0x9a, 0x0161],
  [0x9b, 0x203a],
  [0x9c, 0x0153],
  [0x9d, 0x9d],
  [0x9e, 0x017e],
  [0x9f, 0x0178],
]);

/** CPython _invalid_codepoints: these numeric references are dropped. */
function isInvalidCodepoint(n: number): boolean {
  return (
    (n >= 0x1 && n <= 0x8) ||
    n === 0xb ||
    (n >= 0xe && n <= 0x1f) ||
    (n >= 0x7f && n <= 0x9f) ||
    (n >= 0xfdd0 && n <= 0xfdef) ||
    (n & 0xfffe) === 0xfffe
  );
}

// Python's int(str) refuses more than 4300 decimal digits (sys.int_info.default_max_str_digits).
const PY_MAX_STR_DIGITS = 4300;

function numericCharref(ref: string): string {
  const hex = ref[1] === 'x' || ref[1] === 'X';
  const digits = ref.slice(hex ? 2 : 1).replace(/;$/, '');
  if (!hex && digits.length > PY_MAX_STR_DIGITS) {
    throw new ClipError(
      'input',
      `Text contains a numeric character reference with ${digits.length} digits; ` +
        `Python's html.unescape (and so CLIP's tokenizer) rejects more than ${PY_MAX_STR_DIGITS}.`,
    );
  }
  // Leading zeros do not change the value; anything longer than 7 significant digits is > 0x10FFFF.
  const significant = digits.replace(/^0+/, '');
  const num = significant.length > 7 ? Infinity : significant === '' ? 0 : parseInt(significant, hex ? 16 : 10);
  const remapped = INVALID_CHARREFS.get(num);
  if (remapped !== undefined) return String.fromCodePoint(remapped);
  if ((num >= 0xd800 && num <= 0xdfff) || num > 0x10ffff) return '\ufffd';
  if (isInvalidCodepoint(num)) return '';
  return String.fromCodePoint(num);
}

let entities: Map<string, string> | undefined;

/** html.entities.html5 as a Map keyed like Python's dict ("amp;" and, for legacy names, "amp"). */
function entityTable(): Map<string, string> {
  if (!entities) {
    entities = new Map();
    for (const [name, value] of Object.entries(entityData.entities)) entities.set(name + ';', value);
    for (const name of entityData.legacy.split(' '))
      entities.set(name, entityData.entities[name as keyof typeof entityData.entities]);
  }
  return entities;
}

function namedCharref(ref: string): string {
  const table = entityTable();
  const whole = table.get(ref);
  if (whole !== undefined) return whole;
  // Longest prefix that is an entity (legacy names work without ';'), as CPython does.
  // Names are ASCII, so UTF-16 indices find the same prefix as Python's code-point indices.
  for (let x = ref.length - 1; x > 1; x--) {
    const value = table.get(ref.slice(0, x));
    if (value !== undefined) return value + ref.slice(x);
  }
  return '&' + ref;
}

/** Python's html.unescape (HTML5 rules: numeric refs, remapped/invalid code points, prefixes). */
export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(CHARREF_RE, (_m, ref: string) => (ref[0] === '#' ? numericCharref(ref) : namedCharref(ref)));
}
