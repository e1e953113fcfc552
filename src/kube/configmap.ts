import { stringify } from 'yaml';
import { parseGoYaml, type GoPair, type GoValue } from '../awsauth/goyaml.js';
import { KubeError } from './errors.js';

export type StringMap = Readonly<Record<string, string>>;

/** A ConfigMap as read from the API server, checked field by field. */
export interface LiveConfigMap {
  readonly name: string;
  readonly namespace: string;
  readonly resourceVersion: string;
  readonly uid: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly data: StringMap;
  readonly binaryData: StringMap;
  /** The object as received, sent back on replace so fields kubeiam does not know survive. */
  readonly object: Readonly<Record<string, unknown>>;
}

/** Fields a ConfigMap file sets, for `apply` and `restore`. */
export interface ConfigMapContent {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly data: StringMap;
}

/**
 * Checks an API server response or watch event object and returns it as a LiveConfigMap. Throws
 * KUBE_RESPONSE_INVALID naming the field when it is not a ConfigMap with string data.
 */
export function toLiveConfigMap(value: unknown): LiveConfigMap {
  const object = record(value, 'the ConfigMap');
  const metadata = record(object['metadata'], 'metadata');
  return {
    name: text(metadata['name'], 'metadata.name'),
    namespace: text(metadata['namespace'], 'metadata.namespace'),
    resourceVersion: text(metadata['resourceVersion'], 'metadata.resourceVersion'),
    uid: optionalText(metadata['uid'], 'metadata.uid'),
    labels: stringMap(metadata['labels'], 'metadata.labels'),
    annotations: stringMap(metadata['annotations'], 'metadata.annotations'),
    data: stringMap(object['data'], 'data'),
    binaryData: stringMap(object['binaryData'], 'binaryData'),
    object,
  };
}

/**
 * Renders the ConfigMap as the YAML document the aws-auth parser and edit functions work on: name,
 * namespace and every data key, in the server's order. Labels and annotations are left out because
 * an edit never changes them; they stay on the live object. When YAML cannot carry a value
 * unchanged, the document is rendered as JSON, which the parser and the edits also accept.
 */
export function toDocumentText(configMap: Pick<LiveConfigMap, 'name' | 'namespace' | 'data'>): string {
  const document = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMap.name, namespace: configMap.namespace },
    ...(Object.keys(configMap.data).length > 0 ? { data: { ...configMap.data } } : {}),
  };
  const yaml = stringify(document, { version: '1.1', lineWidth: 0, blockQuote: 'literal' });
  const readBack = readConfigMapText(yaml);
  if (readBack !== undefined && sameMap(readBack.data, configMap.data)) return yaml;
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Reads metadata and data of a ConfigMap document (YAML or JSON, whole object or bare data map) with
 * the Go YAML rules the API server applies. Returns undefined when the text does not parse or a data
 * value is not a string. The caller then reports the reason through the aws-auth parser.
 */
export function readConfigMapText(documentText: string): ConfigMapContent | undefined {
  const parsed = parseGoYaml(documentText, 'document');
  if (!parsed.ok) return undefined;
  if (parsed.value.kind === 'null') return { labels: {}, annotations: {}, data: {} };
  if (parsed.value.kind !== 'map') return undefined;
  const pairs = parsed.value.pairs;
  const isConfigMap = pairs.some((pair) => ['apiVersion', 'kind', 'metadata', 'data'].includes(pair.key));
  if (!isConfigMap) {
    const data = goStringMap(parsed.value);
    return data === undefined ? undefined : { labels: {}, annotations: {}, data };
  }

  const metadata = lastValue(pairs, 'metadata');
  const metadataPairs = metadata?.kind === 'map' ? metadata.pairs : [];
  const data = goStringMap(lastValue(pairs, 'data'));
  const labels = goStringMap(lastValue(metadataPairs, 'labels'));
  const annotations = goStringMap(lastValue(metadataPairs, 'annotations'));
  if (data === undefined || labels === undefined || annotations === undefined) return undefined;
  const name = lastValue(metadataPairs, 'name');
  const namespace = lastValue(metadataPairs, 'namespace');
  return {
    ...(name?.kind === 'string' ? { name: name.value } : {}),
    ...(namespace?.kind === 'string' ? { namespace: namespace.value } : {}),
    labels,
    annotations,
    data,
  };
}

/** Data of an edited document, for the update; throws when an edit produced a document that does not read back. */
export function dataOfDocument(documentText: string): StringMap {
  const content = readConfigMapText(documentText);
  if (content === undefined) {
    throw new KubeError('KUBE_RESPONSE_INVALID', 'the edited aws-auth document does not read back as a ConfigMap with string data; nothing was written');
  }
  return content.data;
}

export function sameMap(left: StringMap, right: StringMap): boolean {
  const leftKeys = Object.keys(left);
  return leftKeys.length === Object.keys(right).length && leftKeys.every((key) => right[key] === left[key]);
}

function lastValue(pairs: readonly GoPair[], key: string): GoValue | undefined {
  return pairs.filter((pair) => pair.key === key).at(-1)?.value;
}

/** Reads a map of strings; a null value becomes '', as Go's JSON decoder stores it. */
function goStringMap(value: GoValue | undefined): Record<string, string> | undefined {
  if (value === undefined || value.kind === 'null') return {};
  if (value.kind !== 'map') return undefined;
  const result: Record<string, string> = {};
  for (const pair of value.pairs) {
    if (pair.value.kind === 'string') setOwn(result, pair.key, pair.value.value);
    else if (pair.value.kind === 'null') setOwn(result, pair.key, '');
    else return undefined;
  }
  return result;
}

/** Sets a key as an own property, so that a data key named `__proto__` stays data. */
function setOwn(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw invalidResponse(field, 'an object');
}

function text(value: unknown, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw invalidResponse(field, 'a non-empty string');
}

function optionalText(value: unknown, field: string): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  throw invalidResponse(field, 'a string');
}

function stringMap(value: unknown, field: string): StringMap {
  if (value === undefined || value === null) return {};
  const entries = Object.entries(record(value, field));
  for (const [key, item] of entries) {
    if (typeof item !== 'string') throw invalidResponse(`${field}.${key}`, 'a string');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function invalidResponse(field: string, expected: string): KubeError {
  return new KubeError('KUBE_RESPONSE_INVALID', `the API server returned a ConfigMap whose ${field} is not ${expected}`, { field });
}
