/**
 * Decoding of configuration values with the rules viper applies through mapstructure: struct field
 * names match case-insensitively, weak typing turns numbers and booleans into strings, a single
 * string becomes a list by splitting on `,`, and a single other value becomes a one-element list.
 */
import { isPlainObject } from './keys.js';

/** A value that could not be decoded; `path` names it like `server.mapRoles[0].groups`. */
export interface DecodeIssue {
  readonly path: string;
  readonly message: string;
}

export class Decoder {
  readonly issues: DecodeIssue[] = [];

  /** Decodes a string field; null and undefined give ''. */
  string(path: string, value: unknown): string {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return formatNumber(value);
    if (typeof value === 'bigint') return value.toString();
    // mapstructure's weak typing writes booleans as "1" and "0".
    if (typeof value === 'boolean') return value ? '1' : '0';
    this.issues.push({ path, message: `expected a string, got ${describeValue(value)}` });
    return '';
  }

  /** Decodes a list of strings; a string is split on `,`, another single value is wrapped. */
  strings(path: string, value: unknown): string[] {
    if (value === undefined || value === null) return [];
    if (typeof value === 'string') return value === '' ? [] : value.split(',');
    if (Array.isArray(value)) return value.map((item, index) => this.string(`${path}[${index}]`, item));
    return [this.string(path, value)];
  }

  /** Decodes a boolean field with weak typing: numbers (0 is false) and strconv.ParseBool strings. */
  boolean(path: string, value: unknown): boolean {
    if (value === undefined || value === null) return false;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return value !== 0;
    if (typeof value === 'string') {
      const parsed = parseGoBool(value);
      if (parsed !== undefined) return parsed;
    }
    this.issues.push({ path, message: `expected true or false, got ${describeValue(value)}` });
    return false;
  }

  /** Decodes a list of maps; a single map is wrapped. Each item's keys are matched case-insensitively. */
  records(path: string, value: unknown): Array<Record<string, unknown>> {
    if (value === undefined || value === null) return [];
    const items = Array.isArray(value) ? value : [value];
    const records: Array<Record<string, unknown>> = [];
    items.forEach((item, index) => {
      if (isPlainObject(item)) {
        records.push(item);
      } else {
        this.issues.push({ path: `${path}[${index}]`, message: `expected a map, got ${describeValue(item)}` });
      }
    });
    return records;
  }
}

/** Returns the field of a struct-like map whose name equals `name` ignoring case (exact match first). */
export function field(record: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(record, name)) return record[name];
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Formats a number like Go's strconv for mapstructure: integers in base 10, floats without an exponent. */
function formatNumber(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  return String(value);
}

/** Parses like Go's strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}
