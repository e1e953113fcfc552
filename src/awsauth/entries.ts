import { validateRoleMapping, validateUserMapping } from '../mapping/records.js';
import type { EntryOrigin, RoleMapping, SsoReference, UserMapping } from '../mapping/types.js';
import {
  decodeStructList,
  ROLE_MAPPING_TYPE,
  USER_MAPPING_TYPE,
  type DecodedFields,
  type DecodedStruct,
  type StructType,
} from './godecode.js';
import { findNonFiniteNumber, parseGoYaml, scalarText, type GoValue } from './goyaml.js';
import type {
  AccountEntry,
  DataKey,
  KeyState,
  Problem,
  RejectedEntry,
  RoleEntry,
  TypeMismatch,
  UserEntry,
} from './types.js';

/** The text of one data value and its position in the whole text, to report inner lines as whole-file lines. */
export interface KeyText {
  readonly key: DataKey;
  readonly text: string;
  readonly sourceName: string;
  /** Line of the key in the whole text. */
  readonly line: number;
  /** Added to a 1-based line of `text` to give the line in the whole text. */
  readonly lineOffset: number;
}

/** The entries, problems and state one data key adds to the parse result. */
export interface KeyResult {
  readonly state: KeyState;
  readonly roles: RoleEntry[];
  readonly users: UserEntry[];
  readonly accounts: AccountEntry[];
  readonly rejected: RejectedEntry[];
  readonly typeMismatches: TypeMismatch[];
  readonly problems: Problem[];
}

/** Values aws-iam-authenticator skips as empty, compared after trimming whitespace. */
const EMPTY_VALUES = new Set(['', '``', '""', "''"]);
/** Text that starts with `{` after white space, which utilyaml.ToJSON passes through as JSON. */
const JSON_START = /^\s*\{/;

/**
 * Reports whether the text is one of EMPTY_VALUES after trimming. It searches for the first
 * character that is not `\s` (what String.prototype.trim removes), so a large value is not copied.
 */
function isEmptyValue(text: string): boolean {
  const start = text.search(/\S/);
  if (start < 0) return true;
  return EMPTY_VALUES.has(text.slice(start, start + 2)) && !/\S/.test(text.slice(start + 2));
}

function emptyResult(state: KeyState): KeyResult {
  return { state, roles: [], users: [], accounts: [], rejected: [], typeMismatches: [], problems: [] };
}

/** Parses the value of one data key with the authenticator's per-key rules (a broken key loads nothing). */
export function parseKeyText(input: KeyText): KeyResult {
  const base = { text: input.text, line: input.line, lineOffset: input.lineOffset };
  if (isEmptyValue(input.text)) return emptyResult({ status: 'empty', ...base });

  const parsed = input.key === 'mapAccounts' ? parseAccounts(input) : parseMappings(input);
  if ('error' in parsed) {
    const line = input.lineOffset + parsed.error.line;
    const result = emptyResult({ status: 'broken', ...base, error: { message: parsed.error.message, line } });
    result.problems.push(brokenKeyProblem(input.key, parsed.error.message, line));
    return result;
  }
  return parsed;
}

function brokenKeyProblem(key: DataKey, message: string, line: number): Problem {
  return {
    code: 'KEY_BROKEN',
    severity: 'error',
    key,
    line,
    message: `${key} failed to parse at line ${line}: ${message}. None of its entries load, so every identity it maps is locked out`,
    fix: `correct line ${line} of ${key}; run \`kubeiam lint\` to check`,
    params: { key, line, error: message },
  };
}

type ParseOutcome = KeyResult | { readonly error: { readonly message: string; readonly line: number } };

function decodeTopLevel(input: KeyText, type: StructType): { items: readonly DecodedStruct[] } | { error: { message: string; line: number } } {
  // utilyaml.ToJSON passes text that starts with `{` through as JSON; a JSON object is not a list.
  if (JSON_START.test(input.text)) {
    try {
      JSON.parse(input.text);
    } catch (error) {
      return { error: { message: `invalid JSON: ${(error as Error).message}`, line: 1 } };
    }
    return { error: { message: `json: cannot unmarshal object into Go value of type []${type.goName}`, line: 1 } };
  }
  const yaml = parseGoYaml(input.text);
  if (!yaml.ok) return { error: yaml.error };
  const nonFinite = findNonFiniteNumber(yaml.value);
  if (nonFinite !== undefined) return { error: nonFinite };
  const list = decodeStructList(yaml.value, type);
  return list.ok ? { items: list.items } : { error: { message: list.goMessage, line: list.line } };
}

function parseMappings(input: KeyText): ParseOutcome {
  const type = input.key === 'mapRoles' ? ROLE_MAPPING_TYPE : USER_MAPPING_TYPE;
  const decoded = decodeTopLevel(input, type);
  if ('error' in decoded) return decoded;

  const result = emptyResult({ status: 'ok', text: input.text, line: input.line, lineOffset: input.lineOffset });
  decoded.items.forEach((item, index) => addDecodedEntry(input, item, index, result));
  return result;
}

function addDecodedEntry(input: KeyText, item: DecodedStruct, index: number, result: KeyResult): void {
  const line = input.lineOffset + item.line;
  const origin: EntryOrigin = { source: input.sourceName, key: input.key, index, line };
  const keys = item.keys.map((written) => ({ ...written, line: input.lineOffset + written.line }));

  for (const issue of item.issues) {
    const mismatch: TypeMismatch = {
      key: input.key,
      index,
      path: issue.path,
      value: issue.value,
      expected: issue.expected,
      line: input.lineOffset + issue.line,
      goMessage: issue.goMessage,
    };
    result.typeMismatches.push(mismatch);
    result.problems.push(typeMismatchProblem(mismatch));
  }

  if (input.key === 'mapRoles') {
    const mapping = toRoleMapping(item.fields);
    const error = validateRoleMapping(mapping);
    if (error === undefined) result.roles.push({ mapping, origin, keys });
    else recordRejected(result, { kind: 'role', mapping, origin, error });
  } else {
    const mapping = toUserMapping(item.fields);
    const error = validateUserMapping(mapping);
    if (error === undefined) result.users.push({ mapping, origin, keys });
    else recordRejected(result, { kind: 'user', mapping, origin, error });
  }
}

function recordRejected(result: KeyResult, rejected: RejectedEntry): void {
  result.rejected.push(rejected);
  const { key, index, line } = rejected.origin;
  result.problems.push({
    code: 'ENTRY_INVALID',
    severity: 'error',
    key,
    index,
    ...(line === undefined ? {} : { line }),
    message: `${key}[${index}] at line ${line ?? '?'} is not loaded: ${rejected.error.message}`,
    fix: rejected.kind === 'role' ? 'give the entry either `rolearn` or `sso`, not both' : 'add `userarn` to the entry',
    params: { key, index, line: line ?? '?', ...recordErrorParams(rejected) },
    terms: { reason: `recordError.${rejected.error.code}` },
    variant: rejected.kind,
  });
}

/** Values of the `lintTerm.recordError.*` phrases: the SSO fields the authenticator names in its message. */
function recordErrorParams(rejected: RejectedEntry): Record<string, string> {
  const sso = rejected.kind === 'role' ? rejected.mapping.sso : undefined;
  return {
    recordMessage: rejected.error.message,
    ...(sso === undefined ? {} : { accountId: sso.accountID, permissionSetName: sso.permissionSetName, partition: sso.partition }),
  };
}

/** Describes a value the way the YAML 1.1 reader typed it, for messages. */
export function describeValue(value: GoValue): string {
  switch (value.kind) {
    case 'bool':
      return `the boolean ${value.text} (YAML 1.1 reads yes/no/on/off/y/n as booleans)`;
    case 'number':
      return `the number ${value.text}`;
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    default:
      return `'${scalarText(value)}'`;
  }
}

/** Catalogue phrase of each `describeValue` wording (`lintTerm.value.*`). */
function valueTerm(value: GoValue): string {
  if (value.kind === 'bool' || value.kind === 'number' || value.kind === 'map' || value.kind === 'seq') return `value.${value.kind}`;
  return 'value.scalar';
}

/** Catalogue phrase ids (`lintTerm.type.*`) of the field types a mismatch names. */
const EXPECTED_TERMS: Readonly<Record<TypeMismatch['expected'], string>> = {
  string: 'string',
  'list of strings': 'stringList',
  'list of mappings': 'mappingList',
  mapping: 'mapping',
};

function typeMismatchProblem(mismatch: TypeMismatch): Problem {
  const text = scalarText(mismatch.value);
  const isScalar = mismatch.value.kind === 'bool' || mismatch.value.kind === 'number';
  return {
    code: 'VALUE_NOT_STRING',
    severity: 'error',
    key: mismatch.key,
    index: mismatch.index,
    line: mismatch.line,
    message: `${mismatch.key}[${mismatch.index}].${mismatch.path} at line ${mismatch.line} is ${describeValue(mismatch.value)}, not a ${mismatch.expected}, so it loads empty`,
    ...(isScalar ? { fix: `quote it: "${text}"` } : { fix: `write ${mismatch.path} as a ${mismatch.expected}` }),
    params: { key: mismatch.key, index: mismatch.index, path: mismatch.path, line: mismatch.line, value: text },
    terms: { actual: valueTerm(mismatch.value), expected: `type.${EXPECTED_TERMS[mismatch.expected]}` },
    ...(isScalar ? { variant: 'scalar' } : {}),
  };
}

function text(fields: DecodedFields, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : '';
}

function list(fields: DecodedFields, name: string): string[] {
  const value = fields[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function toRoleMapping(fields: DecodedFields): RoleMapping {
  const ssoFields = fields['sso'];
  const sso: SsoReference | undefined =
    typeof ssoFields === 'object' && !Array.isArray(ssoFields)
      ? {
          permissionSetName: text(ssoFields, 'permissionSetName'),
          accountID: text(ssoFields, 'accountID'),
          partition: text(ssoFields, 'partition'),
        }
      : undefined;
  const userid = text(fields, 'userid');
  return {
    rolearn: text(fields, 'rolearn'),
    ...(sso === undefined ? {} : { sso }),
    username: text(fields, 'username'),
    groups: list(fields, 'groups'),
    ...(userid === '' ? {} : { userid }),
  };
}

export function toUserMapping(fields: DecodedFields): UserMapping {
  const userid = text(fields, 'userid');
  return {
    userarn: text(fields, 'userarn'),
    username: text(fields, 'username'),
    groups: list(fields, 'groups'),
    ...(userid === '' ? {} : { userid }),
  };
}

/**
 * Parses mapAccounts like yaml.v2 decoding into `[]string`: every scalar keeps its literal text
 * (`- 012345678901` stays `012345678901`), null becomes '', and a nested mapping or list is an
 * error for that item only.
 */
function parseAccounts(input: KeyText): ParseOutcome {
  const yaml = parseGoYaml(input.text);
  if (!yaml.ok) return { error: yaml.error };
  const value = yaml.value;
  if (value.kind === 'null') return emptyResult({ status: 'ok', text: input.text, line: input.line, lineOffset: input.lineOffset });
  if (value.kind !== 'seq') {
    const typeTag = value.kind === 'map' ? '!!map' : `!!${value.kind === 'string' ? 'str' : value.kind} \`${scalarText(value)}\``;
    return { error: { message: `yaml: unmarshal errors: cannot unmarshal ${typeTag} into []string`, line: value.line } };
  }

  const result = emptyResult({ status: 'ok', text: input.text, line: input.line, lineOffset: input.lineOffset });
  value.items.forEach((item, index) => addAccount(input, item, index, result));
  return result;
}

function addAccount(input: KeyText, item: GoValue, index: number, result: KeyResult): void {
  const line = input.lineOffset + item.line;
  if (item.kind === 'map' || item.kind === 'seq') {
    result.problems.push({
      code: 'ACCOUNT_NOT_STRING',
      severity: 'error',
      key: 'mapAccounts',
      index,
      line,
      message: `mapAccounts[${index}] at line ${line} is ${describeValue(item)}, not an account ID, so it is skipped`,
      fix: 'write each account as a list item: - "111122223333"',
      params: { index, line },
      terms: { actual: valueTerm(item) },
    });
    return;
  }
  const accountId = item.kind === 'null' ? '' : scalarText(item);
  result.accounts.push({ accountId, origin: { source: input.sourceName, key: 'mapAccounts', index, line } });
}
