import { parseKeyText, type KeyResult } from './entries.js';
import { parseGoYaml, scalarText, type GoPair, type GoValue } from './goyaml.js';
import {
  DATA_KEYS,
  type DataKey,
  type KeyState,
  type ParsedAwsAuth,
  type Problem,
} from './types.js';

export interface ParseOptions {
  /** Name used in entry origins and messages, e.g. a file name or `kube-system/aws-auth`. */
  readonly sourceName: string;
}

/** Top-level fields that mark a whole ConfigMap rather than its bare `data` map. */
const CONFIGMAP_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable']);
/** ConfigMap data keys the API server accepts. */
const VALID_DATA_KEY = /^[-._a-zA-Z0-9]+$/;

interface DataValue {
  readonly key: string;
  readonly value: GoValue;
  readonly line: number;
}

interface Outer {
  format: ParsedAwsAuth['format'];
  valid: boolean;
  problems: Problem[];
  data: DataValue[];
  metadata: { name?: string; namespace?: string };
}

/**
 * Reads an aws-auth ConfigMap (YAML or JSON, whole object or bare `data` map) the way EKS's
 * aws-iam-authenticator does. Only `mapRoles`, `mapUsers` and `mapAccounts` are read, each on its own
 * as YAML 1.1, so a syntax error rejects that key and the others still load. Findings are returned as
 * problems with a code and a whole-file line instead of being thrown.
 */
export function parseAwsAuth(text: string, options: ParseOptions): ParsedAwsAuth {
  // One grant parses the same text several times (edit, verification, lock-out check). A large
  // aws-auth takes hundreds of milliseconds to parse, and the result is immutable, so it is shared.
  const cached = recentParses.find((entry) => entry.text === text && entry.sourceName === options.sourceName);
  if (cached !== undefined) return cached.parsed;
  const parsed = parseUncached(text, options);
  recentParses.unshift({ text, sourceName: options.sourceName, parsed });
  recentParses.length = Math.min(recentParses.length, RECENT_PARSES);
  return parsed;
}

/** How many recent parse results are kept; a grant needs the before and after documents. */
const RECENT_PARSES = 4;
const recentParses: { text: string; sourceName: string; parsed: ParsedAwsAuth }[] = [];

function parseUncached(text: string, options: ParseOptions): ParsedAwsAuth {
  // A regular expression, because trimStart would copy a large text.
  const syntax = /^\s*\{/.test(text) ? 'json' : 'yaml';
  const outer = readOuter(text, syntax);
  const keys = {} as Record<DataKey, KeyState>;
  const results: KeyResult[] = [];
  const ignoredKeys: { name: string; line: number }[] = [];

  for (const key of DATA_KEYS) keys[key] = { status: 'missing' };
  for (const item of outer.data) {
    if (!(DATA_KEYS as readonly string[]).includes(item.key)) {
      ignoredKeys.push({ name: item.key, line: item.line });
      continue;
    }
    const key = item.key as DataKey;
    if (!outer.valid) {
      keys[key] = { status: 'broken', line: item.line, error: { message: 'the ConfigMap is not valid', line: item.line } };
      continue;
    }
    const result = parseKeyText({ key, sourceName: options.sourceName, ...keyText(item) });
    keys[key] = result.state;
    results.push(result);
  }

  return {
    sourceName: options.sourceName,
    format: outer.format,
    syntax,
    valid: outer.valid,
    roles: results.flatMap((result) => result.roles),
    users: results.flatMap((result) => result.users),
    accounts: results.flatMap((result) => result.accounts),
    rejected: results.flatMap((result) => result.rejected),
    typeMismatches: results.flatMap((result) => result.typeMismatches),
    problems: [...outer.problems, ...results.flatMap((result) => result.problems)].sort(byLine),
    keys,
    ignoredKeys,
    metadata: outer.metadata,
  };
}

function byLine(left: Problem, right: Problem): number {
  return (left.line ?? 0) - (right.line ?? 0);
}

function keyText(item: DataValue): { text: string; line: number; lineOffset: number } {
  const value = item.value;
  if (value.kind !== 'string') return { text: '', line: item.line, lineOffset: item.line - 1 };
  // A block literal's content starts on the line after its `|` header and keeps its lines. Other
  // styles (quoted, JSON) fold or escape line breaks, so inner lines are reported at the value's line.
  const lineOffset = value.style === 'block-literal' ? value.line : value.line - 1;
  return { text: value.value, line: item.line, lineOffset };
}

function readOuter(text: string, syntax: 'yaml' | 'json'): Outer {
  const outer: Outer = { format: 'empty', valid: true, problems: [], data: [], metadata: {} };
  if (syntax === 'json') {
    const jsonError = checkJson(text);
    if (jsonError !== undefined) return invalid(outer, jsonError);
  }
  const parsed = parseGoYaml(text, 'document');
  if (!parsed.ok) {
    return invalid(outer, {
      code: 'YAML_SYNTAX',
      severity: 'error',
      line: parsed.error.line,
      message: `the document failed to parse at line ${parsed.error.line}: ${parsed.error.message}`,
      fix: `correct line ${parsed.error.line}`,
      params: { line: parsed.error.line, error: parsed.error.message },
    });
  }
  const top = parsed.value;
  if (top.kind === 'null') return outer;
  if (top.kind !== 'map') {
    return invalid(outer, {
      code: 'NOT_A_CONFIGMAP',
      severity: 'error',
      line: top.line,
      message: 'the document is not a mapping: expected a ConfigMap or its data map',
      fix: 'start from `kubectl get configmap aws-auth --namespace kube-system --output yaml`',
      params: {},
      variant: 'notMapping',
    });
  }
  const isConfigMap = top.pairs.some((pair) => CONFIGMAP_FIELDS.has(pair.key));
  outer.format = isConfigMap ? 'configmap' : 'data';
  if (isConfigMap) readConfigMap(top.pairs, outer);
  else readData(top.pairs, outer);
  return outer;
}

function invalid(outer: Outer, problem: Problem): Outer {
  outer.valid = false;
  outer.problems.push(problem);
  return outer;
}

function checkJson(text: string): Problem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position === null ? 1 : text.slice(0, Number(position[1])).split('\n').length;
    return { code: 'JSON_SYNTAX', severity: 'error', line, message: `the document is not valid JSON: ${message}`, fix: `correct line ${line}`, params: { line, error: message } };
  }
}

function lastPair(pairs: readonly GoPair[], key: string): GoPair | undefined {
  return pairs.filter((pair) => pair.key === key).at(-1);
}

function readConfigMap(pairs: readonly GoPair[], outer: Outer): void {
  const kind = lastPair(pairs, 'kind');
  if (kind !== undefined && !(kind.value.kind === 'string' && kind.value.value === 'ConfigMap')) {
    invalid(outer, {
      code: 'NOT_A_CONFIGMAP',
      severity: 'error',
      line: kind.keyLine,
      message: `kind is '${scalarText(kind.value)}', expected ConfigMap`,
      fix: 'set `kind: ConfigMap`',
      params: { kind: scalarText(kind.value) },
      variant: 'kind',
    });
  }
  readMetadata(lastPair(pairs, 'metadata'), outer);

  const data = lastPair(pairs, 'data');
  if (data === undefined || data.value.kind === 'null') return;
  if (data.value.kind !== 'map') {
    invalid(outer, {
      code: 'DATA_NOT_STRING',
      severity: 'error',
      line: data.keyLine,
      message: 'not a valid ConfigMap: data must be a mapping of keys to strings',
      fix: 'write data as `data:` followed by indented `mapRoles: |` blocks',
      params: {},
      variant: 'dataNotMapping',
    });
    return;
  }
  readData(data.value.pairs, outer);
}

function readMetadata(metadata: GoPair | undefined, outer: Outer): void {
  if (metadata === undefined || metadata.value.kind !== 'map') return;
  const name = lastPair(metadata.value.pairs, 'name');
  const namespace = lastPair(metadata.value.pairs, 'namespace');
  if (name?.value.kind === 'string') outer.metadata.name = name.value.value;
  if (namespace?.value.kind === 'string') outer.metadata.namespace = namespace.value.value;
}

function readData(pairs: readonly GoPair[], outer: Outer): void {
  const seen = new Map<string, number>();
  for (const pair of pairs) {
    const previous = seen.get(pair.key);
    if (previous !== undefined) {
      invalid(outer, {
        code: 'DATA_KEY_DUPLICATE',
        severity: 'error',
        key: pair.key,
        line: pair.keyLine,
        message: `not a valid ConfigMap: data.${pair.key} is defined twice (lines ${previous} and ${pair.keyLine})`,
        fix: `merge the two ${pair.key} blocks into one`,
        params: { key: pair.key, first: previous, line: pair.keyLine },
      });
    }
    seen.set(pair.key, pair.keyLine);
    checkDataKey(pair, outer);
  }
  const unique = [...new Map(pairs.map((pair) => [pair.key, pair])).values()];
  outer.data = unique.map((pair) => ({ key: pair.key, value: pair.value, line: pair.keyLine }));
}

function checkDataKey(pair: GoPair, outer: Outer): void {
  if (!VALID_DATA_KEY.test(pair.key)) {
    invalid(outer, {
      code: 'DATA_KEY_INVALID',
      severity: 'error',
      key: pair.key,
      line: pair.keyLine,
      message: `not a valid ConfigMap: data key '${pair.key}' may only contain letters, digits, '-', '_' and '.'`,
      fix: 'rename or remove the key',
      params: { key: pair.key },
    });
  }
  const value = pair.value;
  if (value.kind === 'string' || value.kind === 'null') return;
  const isCollection = value.kind === 'seq' || value.kind === 'map';
  invalid(outer, {
    code: 'DATA_NOT_STRING',
    severity: 'error',
    key: pair.key,
    line: pair.keyLine,
    message: isCollection
      ? `not a valid ConfigMap: data.${pair.key} must be a string (add \`|\` after \`${pair.key}:\`)`
      : `not a valid ConfigMap: data.${pair.key} must be a string, but it is ${value.kind === 'bool' ? 'a boolean' : 'a number'} (${scalarText(value)})`,
    fix: isCollection ? `write \`${pair.key}: |\` and keep the entries indented below it` : `quote it: ${pair.key}: "${scalarText(value)}"`,
    params: { key: pair.key, value: scalarText(value) },
    variant: isCollection ? 'collection' : 'scalar',
    ...(isCollection ? {} : { terms: { actual: value.kind === 'bool' ? 'dataValue.boolean' : 'dataValue.number' } }),
  });
}
