import { resolvePlain } from './goyaml.js';

/** yaml.v2's base-60 float pattern: such strings are quoted on output for older YAML readers. */
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
/** Dates and timestamps yaml.v2 resolves to a timestamp (quoted on output). */
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2}))|(?: [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?))?$/;

/** Reports whether a plain (unquoted) scalar with this text reads back as the same string under YAML 1.1. */
export function readsBackAsString(text: string): boolean {
  return resolvePlain(text).kind === 'string' && !BASE60_FLOAT.test(text) && !TIMESTAMP.test(text);
}

function isPrintable(codePoint: number): boolean {
  return (
    codePoint === 0x0a ||
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    codePoint === 0x85 ||
    (codePoint >= 0xa0 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd && codePoint !== 0xfeff) ||
    codePoint >= 0x10000
  );
}

const FIRST_INDICATORS = new Set([...'#,[]{}&*!|>\'"%@`']);
const BLANK = new Set([' ', '\t', '\n', '\r']);

/**
 * Reports whether libyaml (yaml.v2's emitter) may write the text as a plain scalar in block context.
 * Its scalar analysis allows no indicator at the start, no `: ` or ` #` inside, no leading or trailing
 * space, no line break, and only printable characters.
 */
export function plainAllowedInBlock(text: string): boolean {
  if (text === '' || text.startsWith('---') || text.startsWith('...')) return false;
  const characters = [...text];
  if (characters[0] === ' ' || characters.at(-1) === ' ') return false;
  for (let i = 0; i < characters.length; i++) {
    const character = characters[i] ?? '';
    const next = characters[i + 1];
    const followedByBlank = next === undefined || BLANK.has(next);
    if (!isPrintable(character.codePointAt(0) ?? 0) || character === '\n') return false;
    if (i === 0 && FIRST_INDICATORS.has(character)) return false;
    if ((character === '?' || character === ':' || character === '-') && i === 0 && followedByBlank) return false;
    if (character === ':' && followedByBlank) return false;
    if (character === '#' && i > 0 && BLANK.has(characters[i - 1] ?? '')) return false;
  }
  return true;
}

/** Reports whether single quotes can hold the text (libyaml falls back to double quotes otherwise). */
function singleQuotedAllowed(text: string): boolean {
  return [...text].every((character) => isPrintable(character.codePointAt(0) ?? 0) && character !== '\n');
}

function doubleQuote(text: string): string {
  let out = '"';
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (character === '"' || character === '\\') out += `\\${character}`;
    else if (character === '\n') out += '\\n';
    else if (character === '\t') out += '\\t';
    else if (!isPrintable(codePoint)) out += codePoint <= 0xff ? `\\x${codePoint.toString(16).padStart(2, '0').toUpperCase()}` : `\\u${codePoint.toString(16).padStart(4, '0').toUpperCase()}`;
    else out += character;
  }
  return `${out}"`;
}

/**
 * Writes a string scalar the way yaml.v2's Marshal does in block context. It is plain when it reads
 * back as the same string, and double-quoted when plain text would resolve to another type
 * (`"012345678912"`, `"yes"`, `""`). Single quotes are used when only the characters forbid plain text
 * (`'{{SessionName}}'`).
 * NOTE: yaml.v2 writes strings with line breaks as literal blocks and folds long lines with spaces at
 * 80 columns. kubeiam double-quotes such strings and never folds, which reads back the same.
 */
export function goYamlScalar(text: string): string {
  if (!readsBackAsString(text) || text.includes('\n')) return doubleQuote(text);
  if (plainAllowedInBlock(text)) return text;
  return singleQuotedAllowed(text) ? `'${text.replaceAll("'", "''")}'` : doubleQuote(text);
}
