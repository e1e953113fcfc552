import { KubeiamError } from '../errors.js';
import { splitN } from '../arn/index.js';

/** The characters aws-iam-authenticator's quoteMeta escapes with a backslash. */
const META_CHARACTERS = new Set(['\\', '.', '+', '(', ')', '|', '[', ']', '{', '}', '^', '$']);

/**
 * Turns one section of an ArnLike pattern into Go regular-expression text: metacharacters are
 * escaped, `*` becomes `.*` and `?` becomes `.?`. Note that `?` matches zero or one character here,
 * unlike IAM's ArnLike where it matches exactly one; kubeiam keeps the authenticator's behaviour.
 */
export function quoteMeta(section: string): string {
  return translateSection(section, '.');
}

function translateSection(section: string, anyCharacter: string): string {
  let out = '';
  for (const character of section) {
    if (character === '*') out += `${anyCharacter}*`;
    else if (character === '?') out += `${anyCharacter}?`;
    else if (META_CHARACTERS.has(character)) out += `\\${character}`;
    else out += character;
  }
  return out;
}

/**
 * Builds the JavaScript regex of one pattern section. Go's `.` matches any rune except `\n`, while
 * JavaScript's `.` also excludes `\r`, U+2028 and U+2029, so the wildcard is written `[^\n]`. The `u`
 * flag makes it match whole code points like Go's runes.
 */
function sectionRegExp(section: string): RegExp {
  const cached = compiledSections.get(section);
  if (cached !== undefined) return cached;
  if (compiledSections.size >= MAX_COMPILED_SECTIONS) compiledSections.clear();
  const compiled = new RegExp(`^(?:${translateSection(section, '[^\\n]')})$`, 'u');
  compiledSections.set(section, compiled);
  return compiled;
}

/** Compiled pattern sections; SSO patterns are matched on every request. Cleared when full. */
const compiledSections = new Map<string, RegExp>();
const MAX_COMPILED_SECTIONS = 1024;

const SECTION_COUNT = 6;

function splitSections(text: string, what: string): string[] {
  if (!text.startsWith('arn:')) {
    throw new KubeiamError('ARN_LIKE_INVALID', `could not parse ${what}: invalid prefix`, { value: text });
  }
  const sections = splitN(text, ':', SECTION_COUNT);
  if (sections.length !== SECTION_COUNT) {
    throw new KubeiamError('ARN_LIKE_INVALID', `could not parse ${what}: not enough sections`, {
      value: text,
    });
  }
  return sections;
}

/**
 * Reports whether `arn` matches the IAM-style `pattern` section by section, as aws-iam-authenticator's
 * ArnLike does: the comparison is case-sensitive and the sixth section keeps its colons, so a wildcard
 * in the fifth section never swallows a colon of the resource.
 * Throws a KubeiamError (`ARN_LIKE_INVALID`) when either text does not split into six sections.
 */
export function arnLike(arn: string, pattern: string): boolean {
  const arnSections = splitSections(arn, 'input arn');
  const patternSections = splitSections(pattern, 'ArnLike string');
  return patternSections.every((section, index) =>
    sectionRegExp(section).test(arnSections[index] ?? ''),
  );
}
