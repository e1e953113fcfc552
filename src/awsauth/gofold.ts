/**
 * Go's case folding, as far as kubeiam needs it. Go compares with Unicode simple folding
 * (`strings.EqualFold`, encoding/json field names), which equates more than ASCII case: the long s
 * `ſ` (U+017F) folds with `s` and the Kelvin sign (U+212A) with `k`.
 */

/**
 * Folds one code point to a representative of its simple-fold orbit. Code points whose upper or
 * lower case is a single code point fold through it.
 * NOTE: this approximates Go's SimpleFold table through JavaScript's case mappings. It is exact for
 * ASCII, `ſ` and the Kelvin sign, the only characters that fold to ASCII letters.
 */
function foldCodePoint(character: string): string {
  // The dotless i upper-cases to ASCII `I`, but Go does not fold it with `i`.
  if (character === '\u0131') return character;
  const upper = character.toUpperCase();
  const single = [...upper].length === 1 ? upper : character;
  const lower = single.toLowerCase();
  return [...lower].length === 1 ? lower : single;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Returns the fold key of a text: two texts are equal under Go's EqualFold when their keys are. */
export function foldKey(text: string): string {
  // ASCII letters fold to their lower case and other ASCII characters to themselves. ASCII text, such
  // as nearly every ARN and field name, skips the per-character work.
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  let out = '';
  for (const character of text) out += foldCodePoint(character);
  return out;
}

/** Reports whether two texts are equal under Unicode simple case folding, like Go's strings.EqualFold. */
export function equalFold(left: string, right: string): boolean {
  return left === right || foldKey(left) === foldKey(right);
}

/** Orders texts by code point, like Go's byte-wise comparison of UTF-8 strings. */
export function compareCodePoints(left: string, right: string): number {
  const leftPoints = [...left];
  const rightPoints = [...right];
  const length = Math.min(leftPoints.length, rightPoints.length);
  for (let i = 0; i < length; i++) {
    const difference = (leftPoints[i]?.codePointAt(0) ?? 0) - (rightPoints[i]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return leftPoints.length - rightPoints.length;
}
