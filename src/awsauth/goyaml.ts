import {
  LineCounter,
  parseAllDocuments,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type Scalar,
} from 'yaml';
import { parseFastGoYaml } from './fastyaml.js';
import { compareCodePoints } from './gofold.js';

/**
 * A YAML or JSON value with the types Go gives it after gopkg.in/yaml.v2 and sigs.k8s.io/yaml's
 * YAML-to-JSON conversion. Lines are 1-based and relative to the parsed text.
 */
export type GoValue =
  | { readonly kind: 'null'; readonly line: number }
  | { readonly kind: 'bool'; readonly value: boolean; readonly text: string; readonly line: number }
  | { readonly kind: 'number'; readonly text: string; readonly finite: boolean; readonly line: number }
  | {
      readonly kind: 'string';
      readonly value: string;
      readonly line: number;
      /** The style the scalar was written in. The line of a block literal is the line of its `|` header. */
      readonly style: ScalarStyle;
    }
  | { readonly kind: 'map'; readonly pairs: readonly GoPair[]; readonly line: number }
  | { readonly kind: 'seq'; readonly items: readonly GoValue[]; readonly line: number };

export type ScalarStyle = 'plain' | 'quoted' | 'block-literal' | 'block-folded';

export interface GoPair {
  /** The key as JSON text (non-string YAML keys are converted to text). */
  readonly key: string;
  readonly value: GoValue;
  readonly keyLine: number;
}

/** A YAML error that makes Go reject the whole text, with its 1-based line. */
export interface GoYamlError {
  readonly message: string;
  readonly line: number;
}

export type GoYamlResult =
  | { readonly ok: true; readonly value: GoValue }
  | { readonly ok: false; readonly error: GoYamlError };

/**
 * Pair order of maps. `json-object` is the order Go's JSON decoder gets after sigs.k8s.io/yaml turned
 * the YAML into JSON through a Go map, so keys are unique (the later duplicate wins) and sorted.
 * `document` is the order written, duplicates kept, as encoding/json reads a JSON file.
 */
export type KeyOrder = 'json-object' | 'document';

class ConversionError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const YAML_TAG = 'tag:yaml.org,2002:';
const MAX_ALIAS_DEPTH = 64;

/**
 * Parses YAML 1.1 the way gopkg.in/yaml.v2 does for `interface{}` targets, then applies the JSON
 * conversion rules of sigs.k8s.io/yaml (map keys become text, non-finite floats are an error). Only the
 * first document is read, like yaml.v2's Unmarshal. An empty text is null.
 * The usual aws-auth shapes go through a fast reader (fastyaml.ts) that returns the same tree. Any
 * other text, and every text with an error, goes through the `yaml` package.
 * NOTE: the syntax check is eemeli/yaml's. It agrees with yaml.v2 on common mistakes (bad indentation,
 * unterminated quotes, tabs), but rare inputs may parse in one and fail in the other.
 */
export function parseGoYaml(text: string, keyOrder: KeyOrder = 'json-object'): GoYamlResult {
  return parseFastGoYaml(text, keyOrder) ?? parseGoYamlFull(text, keyOrder);
}

/**
 * Parses like parseGoYaml, always with the `yaml` package's Document API and never with the fast
 * reader. Tests compare the two.
 */
export function parseGoYamlFull(text: string, keyOrder: KeyOrder = 'json-object'): GoYamlResult {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    version: '1.1',
    schema: 'failsafe',
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter,
  });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const document = Array.isArray(documents) ? documents[0] : undefined;
  if (document === undefined) return { ok: true, value: { kind: 'null', line: 1 } };

  const syntaxError = document.errors[0];
  if (syntaxError !== undefined) {
    return { ok: false, error: { message: `yaml: ${syntaxError.message}`, line: lineAt(syntaxError.pos[0]) } };
  }
  try {
    const converter = new Converter(document, lineAt, keyOrder);
    return { ok: true, value: converter.convert(document.contents as Node | null, 1, 0) };
  } catch (error) {
    if (error instanceof ConversionError) return { ok: false, error: { message: error.message, line: error.line } };
    throw error;
  }
}

class Converter {
  constructor(
    private readonly document: Document,
    private readonly lineAt: (offset: number) => number,
    private readonly keyOrder: KeyOrder,
  ) {}

  convert(node: Node | null | undefined, fallbackLine: number, depth: number): GoValue {
    if (node === null || node === undefined) return { kind: 'null', line: fallbackLine };
    const line = node.range ? this.lineAt(node.range[0]) : fallbackLine;

    if (isAlias(node)) {
      if (depth > MAX_ALIAS_DEPTH) throw new ConversionError('yaml: alias nesting is too deep', line);
      return this.convert(node.resolve(this.document) as Node | undefined, line, depth + 1);
    }
    if (isScalar(node)) return convertScalar(node, line);
    if (isSeq(node)) {
      return { kind: 'seq', items: node.items.map((item) => this.convert(item as Node, line, depth)), line };
    }
    if (isMap(node)) return { kind: 'map', pairs: this.convertPairs(node.items as Pair[], line, depth), line };
    throw new ConversionError('yaml: unsupported node', line);
  }

  private convertPairs(pairs: readonly Pair[], line: number, depth: number): GoPair[] {
    const collected: GoPair[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      const keyLine = keyNode?.range ? this.lineAt(keyNode.range[0]) : line;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<' && keyNode.tag === undefined) {
        collected.push(...this.mergePairs(pair.value as Node | null, keyLine, depth));
        continue;
      }
      const key = this.convert(keyNode, keyLine, depth);
      collected.push({ key: jsonKey(key), value: this.convert(pair.value as Node | null, keyLine, depth), keyLine });
    }
    return this.keyOrder === 'document' ? collected : uniqueSorted(collected);
  }

  /** Implements the YAML merge key `<<` like yaml.v2: a map, or a list of maps applied last to first. */
  private mergePairs(valueNode: Node | null, line: number, depth: number): GoPair[] {
    const value = this.convert(valueNode, line, depth);
    if (value.kind === 'map') return [...value.pairs];
    if (value.kind === 'seq' && value.items.every((item) => item.kind === 'map')) {
      return [...value.items].reverse().flatMap((item) => (item.kind === 'map' ? item.pairs : []));
    }
    throw new ConversionError('yaml: map merge requires map or sequence of maps as the value', line);
  }
}

function uniqueSorted(pairs: readonly GoPair[]): GoPair[] {
  const byKey = new Map<string, GoPair>();
  for (const pair of pairs) {
    byKey.delete(pair.key);
    byKey.set(pair.key, pair);
  }
  return [...byKey.values()].sort((left, right) => compareCodePoints(left.key, right.key));
}

/** Converts a map key to JSON text as sigs.k8s.io/yaml does; collections and null cannot be keys. */
function jsonKey(key: GoValue): string {
  switch (key.kind) {
    case 'string':
      return key.value;
    case 'bool':
      return key.value ? 'true' : 'false';
    case 'number':
      return normalizeNumberKey(key.text);
    case 'null':
      throw new ConversionError('yaml: unsupported map key of type <nil>', key.line);
    default:
      throw new ConversionError(`yaml: invalid map key: a ${key.kind === 'map' ? 'mapping' : 'sequence'} cannot be a key`, key.line);
  }
}

function normalizeNumberKey(text: string): string {
  const integer = parseGoInteger(text.replaceAll('_', ''));
  return integer === undefined ? String(Number(text)) : integer.toString();
}

function styleOf(node: Scalar): ScalarStyle {
  switch (node.type) {
    case 'BLOCK_LITERAL':
      return 'block-literal';
    case 'BLOCK_FOLDED':
      return 'block-folded';
    case 'PLAIN':
      return 'plain';
    default:
      return 'quoted';
  }
}

function convertScalar(node: Scalar, line: number): GoValue {
  const text = String(node.value ?? '');
  const tag = node.tag;
  const asString: GoValue = { kind: 'string', value: text, line, style: styleOf(node) };
  if (tag === `${YAML_TAG}str` || tag === `${YAML_TAG}binary`) return asString;
  if (tag === undefined || tag === '!') {
    return node.type === 'PLAIN' && tag === undefined ? resolvePlain(text, line) : asString;
  }
  if (!tag.startsWith(YAML_TAG)) return asString;

  const expected = tag.slice(YAML_TAG.length);
  const resolved = resolvePlain(text, line);
  let resolvedTag: string = resolved.kind;
  if (resolved.kind === 'number') resolvedTag = isIntegerText(text) ? 'int' : 'float';
  const matches =
    expected === resolvedTag ||
    (expected === 'float' && resolvedTag === 'int') ||
    (expected === 'timestamp' && resolved.kind === 'string');
  if (!matches && ['null', 'bool', 'int', 'float', 'timestamp'].includes(expected)) {
    throw new ConversionError(`yaml: cannot decode !!${resolvedTag === 'string' ? 'str' : resolvedTag} \`${text}\` as a !!${expected}`, line);
  }
  return resolved;
}

const BOOLEAN_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOLEAN_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Set(['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Resolves an untagged plain scalar with yaml.v2's YAML 1.1 rules (its resolve table and number parsing). */
export function resolvePlain(text: string, line = 1): GoValue {
  if (BOOLEAN_TRUE.has(text)) return { kind: 'bool', value: true, text, line };
  if (BOOLEAN_FALSE.has(text)) return { kind: 'bool', value: false, text, line };
  if (NULLS.has(text)) return { kind: 'null', line };
  if (SPECIAL_FLOATS.has(text)) return { kind: 'number', text, finite: false, line };

  const first = text[0] ?? '';
  if (first === '.') {
    return isGoFloat(text) ? { kind: 'number', text, finite: true, line } : { kind: 'string', value: text, line, style: 'plain' };
  }
  if (!/[-+0-9]/.test(first)) return { kind: 'string', value: text, line, style: 'plain' };

  const plain = text.replaceAll('_', '');
  if (isIntegerText(text)) return { kind: 'number', text, finite: true, line };
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return { kind: 'number', text, finite: true, line };
  return { kind: 'string', value: text, line, style: 'plain' };
}

/** Reports whether yaml.v2 reads the text as an integer (Go's ParseInt/ParseUint with base 0, or 0b). */
function isIntegerText(text: string): boolean {
  const plain = text.replaceAll('_', '');
  const value = parseGoInteger(plain);
  if (value !== undefined) {
    const fitsSigned = value >= -(2n ** 63n) && value < 2n ** 63n;
    const fitsUnsigned = !plain.startsWith('-') && !plain.startsWith('+') && value >= 0n && value < 2n ** 64n;
    if (fitsSigned || fitsUnsigned) return true;
  }
  const binary = /^-?0b([01]+)$/.exec(plain);
  return binary !== null && BigInt(`0b${binary[1] ?? '0'}`) < 2n ** 63n;
}

/** Parses Go integer-literal syntax (sign, 0x, 0o, 0b, legacy leading-0 octal, decimal) without range checks. */
function parseGoInteger(text: string): bigint | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (match === null) return undefined;
  const sign = match[1] === '-' ? -1n : 1n;
  const digits = match[2] ?? '0';
  const lower = digits.toLowerCase();
  let magnitude: bigint;
  if (lower.startsWith('0x') || lower.startsWith('0b') || lower.startsWith('0o')) magnitude = BigInt(lower);
  else if (digits.length > 1 && digits.startsWith('0')) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  return sign * magnitude;
}

function isGoFloat(text: string): boolean {
  return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) && Number.isFinite(Number(text));
}

/**
 * Finds the first float that JSON cannot encode (`.inf`, `.nan`). sigs.k8s.io/yaml marshals the
 * converted value with encoding/json, which fails on them, so the whole text is rejected.
 */
export function findNonFiniteNumber(value: GoValue): GoYamlError | undefined {
  if (value.kind === 'number' && !value.finite) {
    const shown = value.text.toLowerCase().includes('nan') ? 'NaN' : value.text.startsWith('-') ? '-Inf' : '+Inf';
    return { message: `json: unsupported value: ${shown}`, line: value.line };
  }
  if (value.kind === 'map') {
    for (const pair of value.pairs) {
      const found = findNonFiniteNumber(pair.value);
      if (found !== undefined) return found;
    }
  }
  if (value.kind === 'seq') {
    for (const item of value.items) {
      const found = findNonFiniteNumber(item);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Returns the JSON type name Go's decoder uses in type errors (`bool`, `number`, `string`, `array`, `object`). */
export function jsonTypeName(value: GoValue): string {
  switch (value.kind) {
    case 'map':
      return 'object';
    case 'seq':
      return 'array';
    default:
      return value.kind;
  }
}

/** Returns the text of a scalar as written, for messages. */
export function scalarText(value: GoValue): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'bool':
    case 'number':
      return value.text;
    case 'null':
      return 'null';
    default:
      return value.kind === 'map' ? '{…}' : '[…]';
  }
}
