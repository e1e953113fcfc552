/**
 * Decodes a parsed JSON value into a described Go struct the way `json.Unmarshal` does. Keys match
 * field names exactly or else case-insensitively with Go's folding, and a later duplicate overwrites
 * an earlier one. Unknown keys are ignored and `null` leaves a value unchanged. The first type error
 * in document order is reported after the whole value was decoded.
 */
import type { JsonValue } from './goJson.js';

export type GoType =
  | { readonly kind: 'string' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'int' }
  /** A non-empty Go interface (such as runtime.Object): only `null` decodes into it. */
  | { readonly kind: 'interface'; readonly name: string }
  /** A type with its own UnmarshalJSON that accepts only a string matching `pattern`, or null. */
  | { readonly kind: 'text'; readonly name: string; readonly pattern: RegExp }
  | { readonly kind: 'map'; readonly name: string; readonly values: GoType }
  | { readonly kind: 'list'; readonly name: string; readonly items: GoType }
  | { readonly kind: 'struct'; readonly name: string; readonly fields: Readonly<Record<string, GoType>> };

export type GoValue = string | boolean | number | null | GoStruct | GoValue[] | Map<string, GoValue>;
export interface GoStruct {
  readonly [field: string]: GoValue;
}

export interface GoDecodeResult<T> {
  readonly value: T;
  /** Go's message for the first type error, or undefined when the value decoded cleanly. */
  readonly error: string | undefined;
}

interface Context {
  readonly structName: string;
  readonly path: readonly string[];
  readonly errors: string[];
}

/** Decodes `json` into a value of the struct type `type` (top-level named `typeName` in messages). */
export function decodeGoStruct(json: JsonValue, type: GoType & { kind: 'struct' }, typeName: string): GoDecodeResult<GoStruct> {
  const context: Context = { structName: '', path: [], errors: [] };
  const value = decodeValue(json, type, zeroValue(type), context, typeName);
  return { value: value as GoStruct, error: context.errors[0] };
}

function decodeValue(json: JsonValue, type: GoType, current: GoValue, context: Context, typeName: string): GoValue {
  if (json.kind === 'null') return current;

  switch (type.kind) {
    case 'string':
      return json.kind === 'string' ? json.value : mismatch(json, 'string', current, context);
    case 'bool':
      return json.kind === 'bool' ? json.value : mismatch(json, 'bool', current, context);
    case 'int':
      return decodeInt(json, current, context);
    case 'interface':
      return mismatch(json, type.name, current, context);
    case 'text':
      return decodeText(json, type, current, context);
    case 'map':
      return decodeMap(json, type, current, context);
    case 'list':
      if (json.kind !== 'array') return mismatch(json, type.name, current, context);
      return json.items.map((item) => decodeValue(item, type.items, zeroValue(type.items), context, typeName));
    case 'struct':
      if (json.kind !== 'object') return mismatch(json, context.path.length === 0 ? typeName : type.name, current, context);
      return decodeStruct(json.entries, type, current, context);
  }
}

function decodeStruct(
  entries: ReadonlyArray<readonly [string, JsonValue]>,
  type: GoType & { kind: 'struct' },
  current: GoValue,
  context: Context,
): GoStruct {
  const out: Record<string, GoValue> = { ...(current as GoStruct) };
  const names = Object.keys(type.fields);
  for (const [key, json] of entries) {
    const field = matchField(key, names);
    const fieldType = field === undefined ? undefined : type.fields[field];
    if (field === undefined || fieldType === undefined) continue;
    const inner = { structName: type.name, path: [...context.path, field], errors: context.errors };
    out[field] = decodeValue(json, fieldType, out[field] ?? zeroValue(fieldType), inner, type.name);
  }
  return out;
}

function decodeInt(json: JsonValue, current: GoValue, context: Context): GoValue {
  if (json.kind !== 'number') return mismatch(json, 'int', current, context);
  const value = /^-?[0-9]+$/.test(json.literal) ? BigInt(json.literal) : undefined;
  if (value === undefined || value > (1n << 63n) - 1n || value < -(1n << 63n)) {
    return mismatch(json, 'int', current, context, `number ${json.literal}`);
  }
  return Number(value);
}

function decodeText(json: JsonValue, type: GoType & { kind: 'text' }, current: GoValue, context: Context): GoValue {
  if (json.kind === 'string' && type.pattern.test(json.value)) return json.value;
  if (json.kind === 'string') {
    context.errors.push(`cannot parse ${JSON.stringify(json.value)} as ${type.name}`);
    return current;
  }
  return mismatch(json, type.name, current, context);
}

function decodeMap(json: JsonValue, type: GoType & { kind: 'map' }, current: GoValue, context: Context): GoValue {
  if (json.kind !== 'object') return mismatch(json, type.name, current, context);
  const out = current instanceof Map ? current : new Map<string, GoValue>();
  for (const [key, item] of json.entries) out.set(key, decodeValue(item, type.values, zeroValue(type.values), context, type.name));
  return out;
}

function mismatch(json: JsonValue, typeName: string, current: GoValue, context: Context, shown?: string): GoValue {
  const kind = shown ?? json.kind;
  const target =
    context.path.length === 0
      ? `Go value of type ${typeName}`
      : `Go struct field ${context.structName}.${context.path.join('.')} of type ${typeName}`;
  context.errors.push(`json: cannot unmarshal ${kind} into ${target}`);
  return current;
}

function zeroValue(type: GoType): GoValue {
  switch (type.kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0;
    case 'struct':
      return Object.fromEntries(Object.entries(type.fields).map(([name, field]) => [name, zeroValue(field)]));
    default:
      return null;
  }
}

/**
 * Finds the field a JSON key sets: an exact name wins, else a name equal under Go's folding (ASCII
 * case, plus U+017F ſ = s and U+212A Kelvin sign = k).
 */
export function matchField(key: string, names: readonly string[]): string | undefined {
  const exact = names.find((name) => name === key);
  if (exact !== undefined) return exact;
  const folded = foldName(key);
  return names.find((name) => foldName(name) === folded);
}

/**
 * Folds a name like Go's `foldName` as far as ASCII field names need. ASCII letters are upper-cased,
 * and U+017F and U+212A, the only non-ASCII runes that fold to an ASCII letter, become S and K.
 * Other runes are kept, since they can never equal an ASCII name.
 */
export function foldName(name: string): string {
  let out = '';
  for (const char of name) {
    if (char === '\u017f') out += 'S';
    else if (char === '\u212a') out += 'K';
    else if (char < '\u0080') out += char.toUpperCase();
    else out += char;
  }
  return out;
}
