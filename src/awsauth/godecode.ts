import type { GoPair, GoValue } from './goyaml.js';
import { jsonTypeName } from './goyaml.js';
import { foldKey } from './gofold.js';

/** The Go type of a struct field, for the decoder. */
export type FieldType = 'string' | 'strings' | StructType | ListType;

/** A Go slice of structs. */
export interface ListType {
  readonly list: StructType;
}

export interface StructType {
  /** Go type name used in error texts, e.g. `config.RoleMapping`. */
  readonly goName: string;
  /** JSON field names (as in the Go struct tags) and their types. */
  readonly fields: Readonly<Record<string, FieldType>>;
}

/** A mismatch between a value and its field's Go type. Go records it, leaves the field alone and goes on. */
export interface TypeIssue {
  /** Field path such as `username`, `groups[1]` or `sso.accountID`. */
  readonly path: string;
  /** The error text encoding/json produces. */
  readonly goMessage: string;
  readonly value: GoValue;
  readonly expected: 'string' | 'list of strings' | 'list of mappings' | 'mapping';
  readonly line: number;
}

/** A key of a decoded object as written, and the struct field it set. */
export interface WrittenKey {
  readonly written: string;
  readonly field: string;
  readonly line: number;
}

export interface DecodedFields {
  [field: string]: string | string[] | DecodedFields | DecodedFields[] | undefined;
}

export interface DecodedStruct {
  readonly fields: DecodedFields;
  readonly keys: readonly WrittenKey[];
  readonly issues: readonly TypeIssue[];
  readonly line: number;
}

function shortName(goName: string): string {
  return goName.slice(goName.lastIndexOf('.') + 1);
}

function goTypeName(type: FieldType): string {
  if (type === 'string') return 'string';
  if (type === 'strings') return '[]string';
  return 'list' in type ? `[]${type.list.goName}` : type.goName;
}

/** Finds the field a JSON key sets: the exact name first, else a case-insensitive (folded) match. */
function findField(struct: StructType, key: string): string | undefined {
  let known = knownFields.get(struct);
  if (known === undefined) {
    known = new Map();
    knownFields.set(struct, known);
  }
  if (known.has(key)) return known.get(key);

  const field = Object.hasOwn(struct.fields, key) ? key : findFoldedField(struct, key);
  // Entries repeat the same few keys, so each key's field is kept, up to a bound against odd input.
  if (known.size < MAX_KNOWN_FIELDS) known.set(key, field);
  return field;
}

function findFoldedField(struct: StructType, key: string): string | undefined {
  const folded = foldKey(key);
  return Object.keys(struct.fields).find((name) => foldKey(name) === folded);
}

/** The field each key written in a struct sets, per struct type. */
const knownFields = new WeakMap<StructType, Map<string, string | undefined>>();
const MAX_KNOWN_FIELDS = 256;

class StructDecoder {
  readonly keys: WrittenKey[] = [];
  readonly issues: TypeIssue[] = [];

  constructor(private readonly rootName: string) {}

  decodeObject(pairs: readonly GoPair[], struct: StructType, into: DecodedFields, prefix: string): void {
    for (const pair of pairs) {
      const field = findField(struct, pair.key);
      if (field === undefined) continue;
      const type = struct.fields[field] as FieldType;
      if (prefix === '') this.keys.push({ written: pair.key, field, line: pair.keyLine });
      this.decodeField(pair.value, type, into, field, `${prefix}${field}`);
    }
  }

  private decodeField(value: GoValue, type: FieldType, into: DecodedFields, field: string, path: string): void {
    if (value.kind === 'null') {
      // encoding/json sets slices and pointers to nil on null and leaves strings as they are.
      if (type !== 'string') into[field] = undefined;
      return;
    }
    if (type === 'string') {
      if (value.kind === 'string') into[field] = value.value;
      else this.mismatch(value, type, path, 'string');
      return;
    }
    if (type === 'strings') {
      if (value.kind === 'seq') into[field] = value.items.map((item, index) => this.decodeElement(item, `${path}[${index}]`));
      else this.mismatch(value, type, path, 'list of strings');
      return;
    }
    if ('list' in type) {
      if (value.kind === 'seq') into[field] = value.items.map((item, index) => this.decodeListItem(item, type.list, `${path}[${index}]`));
      else this.mismatch(value, type, path, 'list of mappings');
      return;
    }
    if (value.kind !== 'map') {
      this.mismatch(value, type, path, 'mapping');
      return;
    }
    // Go decodes a repeated object key into the struct the first occurrence allocated.
    const existing = into[field];
    const target: DecodedFields = typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
    into[field] = target;
    this.decodeObject(value.pairs, type, target, `${path}.`);
  }

  private decodeListItem(item: GoValue, struct: StructType, path: string): DecodedFields {
    const fields: DecodedFields = {};
    if (item.kind === 'map') this.decodeObject(item.pairs, struct, fields, `${path}.`);
    else if (item.kind !== 'null') this.mismatch(item, struct, path, 'mapping');
    return fields;
  }

  private decodeElement(item: GoValue, path: string): string {
    if (item.kind === 'string') return item.value;
    if (item.kind !== 'null') this.mismatch(item, 'string', path, 'string');
    return '';
  }

  private mismatch(value: GoValue, type: FieldType, path: string, expected: TypeIssue['expected']): void {
    const field = path.replace(/\[\d+\]$/, '');
    const goMessage = `json: cannot unmarshal ${jsonTypeName(value)} into Go struct field ${this.rootName}.${field} of type ${goTypeName(type)}`;
    this.issues.push({ path, goMessage, value, expected, line: value.line });
  }
}

/** Decodes one JSON object into a Go struct with encoding/json's rules: folded keys, later keys win, type errors skipped. */
export function decodeStruct(value: GoValue, struct: StructType): DecodedStruct {
  const decoder = new StructDecoder(shortName(struct.goName));
  const fields: DecodedFields = {};
  if (value.kind === 'map') {
    decoder.decodeObject(value.pairs, struct, fields, '');
  } else if (value.kind !== 'null') {
    const goMessage = `json: cannot unmarshal ${jsonTypeName(value)} into Go value of type ${struct.goName}`;
    decoder.issues.push({ path: '', goMessage, value, expected: 'mapping', line: value.line });
  }
  return { fields, keys: decoder.keys, issues: decoder.issues, line: value.line };
}

export type DecodedList =
  | { readonly ok: true; readonly items: readonly DecodedStruct[] }
  | { readonly ok: false; readonly goMessage: string; readonly line: number };

/**
 * Decodes a JSON value into a Go slice of structs. Null is an empty list; any other non-array is a
 * type error that leaves the slice empty. Array elements that are not objects become zero structs.
 */
export function decodeStructList(value: GoValue, struct: StructType): DecodedList {
  if (value.kind === 'null') return { ok: true, items: [] };
  if (value.kind !== 'seq') {
    const goMessage = `json: cannot unmarshal ${jsonTypeName(value)} into Go value of type []${struct.goName}`;
    return { ok: false, goMessage, line: value.line };
  }
  return { ok: true, items: value.items.map((item) => decodeStruct(item, struct)) };
}

export const SSO_TYPE: StructType = {
  goName: 'config.SSOARNMatcher',
  fields: { permissionSetName: 'string', accountID: 'string', partition: 'string' },
};

export const ROLE_MAPPING_TYPE: StructType = {
  goName: 'config.RoleMapping',
  fields: { rolearn: 'string', sso: SSO_TYPE, username: 'string', groups: 'strings', userid: 'string' },
};

export const USER_MAPPING_TYPE: StructType = {
  goName: 'config.UserMapping',
  fields: { userarn: 'string', username: 'string', groups: 'strings', userid: 'string' },
};
