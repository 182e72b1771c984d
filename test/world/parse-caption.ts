/**
 * Reads a world caption back into claims, written independently of the generator's templates: the
 * tests then check every claim against the scene's truth.
 */
const SHAPE_WORDS: Record<string, string> = {
  circle: 'circle',
  circles: 'circle',
  square: 'square',
  squares: 'square',
  triangle: 'triangle',
  triangles: 'triangle',
  cross: 'cross',
  crosses: 'cross',
  star: 'star',
  stars: 'star',
};
const COLOURS = ['red', 'green', 'blue', 'yellow', 'orange', 'purple', 'black', 'white'];
const COUNTS: Record<string, number> = { a: 1, an: 1, two: 2, three: 3 };
const BACKGROUND_WORDS: Record<string, string> = {
  plain: 'plain',
  gradient: 'gradient',
  noisy: 'noise',
  striped: 'stripes',
  checkered: 'checker',
};

export interface PhraseClaim {
  count: number;
  colour?: string;
  shape?: string;
  size?: string;
}

export interface CaptionClaims {
  phrases: PhraseClaim[];
  relation?: 'left of' | 'right of' | 'above' | 'below';
  background?: string;
}

function phrase(text: string): PhraseClaim {
  const words = text.trim().split(/\s+/);
  if (words[0] === 'something' && words.length === 2 && COLOURS.includes(words[1]))
    return { count: 1, colour: words[1] };
  const count = COUNTS[words.shift() ?? ''];
  if (!count) throw new Error(`no count or article in "${text}"`);
  const claim: PhraseClaim = { count };
  if (words[0] === 'small' || words[0] === 'large') claim.size = words.shift();
  if (COLOURS.includes(words[0])) claim.colour = words.shift();
  const noun = words.shift();
  if (noun === 'shape' && claim.colour && count === 1) {
    // "a red shape": colour only
  } else if (noun && SHAPE_WORDS[noun]) {
    claim.shape = SHAPE_WORDS[noun];
    const pluralForm = noun !== claim.shape;
    if (pluralForm !== count > 1) throw new Error(`number disagrees in "${text}"`);
  } else {
    throw new Error(`no shape in "${text}"`);
  }
  if (words.length) throw new Error(`unexpected words "${words.join(' ')}" in "${text}"`);
  const article = text.trim().split(/\s+/)[0];
  if (
    (article === 'a' && /^[aeiou]/.test(text.trim().split(/\s+/)[1])) ||
    (article === 'an' && !/^[aeiou]/.test(text.trim().split(/\s+/)[1]))
  ) {
    throw new Error(`wrong article in "${text}"`);
  }
  return claim;
}

export function parseCaption(caption: string): CaptionClaims {
  let body = caption;
  const claims: CaptionClaims = { phrases: [] };
  const bg = / on an? (\w+) background$/.exec(body);
  if (bg) {
    claims.background = BACKGROUND_WORDS[bg[1]];
    if (!claims.background) throw new Error(`unknown background "${bg[1]}"`);
    body = body.slice(0, bg.index);
  }
  body = body.replace(/^an? (photo|drawing) of /, '');
  const rel = /^(.+) (left of|right of|above|below) (.+)$/.exec(body);
  if (rel) {
    claims.relation = rel[2] as CaptionClaims['relation'];
    claims.phrases = [phrase(rel[1]), phrase(rel[3])];
    return claims;
  }
  claims.phrases = body.split(/, | and /).map(phrase);
  return claims;
}
