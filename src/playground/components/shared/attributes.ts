import type { ComplexAttributeConverter } from 'lit';

/**
 * A list attribute: `labels="cat, dog"` is `['cat', 'dog']` (items trimmed, empty ones dropped).
 * `joiner` writes the list back when the property reflects.
 */
export function listAttribute(separator: string, joiner = `${separator} `): ComplexAttributeConverter<string[]> {
  return {
    fromAttribute: (v: string | null) =>
      (v ?? '')
        .split(separator)
        .map((s) => s.trim())
        .filter(Boolean),
    toAttribute: (v: string[]) => v.join(joiner),
  };
}
