import { randomUUID } from 'node:crypto';
import { alreadyExists, badRequest, conflict, invalid, notFound, type StatusCause } from './status.js';

/** A ConfigMap as stored: plain JSON, `metadata.resourceVersion` and `uid` set by the store. */
export interface StoredConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: Metadata;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

interface Metadata {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  readonly type: EventType;
  readonly object: StoredConfigMap;
  readonly resourceVersion: number;
}

const RESOURCE = 'configmaps';
/** The API server's limit on the total size of a ConfigMap's data and binaryData. */
const MAX_CONFIGMAP_BYTES = 1024 * 1024;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * ConfigMaps in memory with the API server's optimistic concurrency: one cluster-wide, strictly
 * increasing resourceVersion; an update that names an older resourceVersion is a 409 Conflict; every
 * change is kept as an event so watches can start from any earlier resourceVersion.
 */
export class ConfigMapStore {
  private revision = 100;
  private readonly objects = new Map<string, StoredConfigMap>();
  private readonly history: WatchEvent[] = [];
  private compactedRevision = 0;
  private readonly listeners = new Set<(event: WatchEvent) => void>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  get resourceVersion(): number {
    return this.revision;
  }

  get(namespace: string, name: string): StoredConfigMap {
    const object = this.objects.get(key(namespace, name));
    if (object === undefined) throw notFound(RESOURCE, name);
    return clone(object);
  }

  list(namespace: string | undefined): StoredConfigMap[] {
    return [...this.objects.values()]
      .filter((object) => namespace === undefined || object.metadata.namespace === namespace)
      .sort((left, right) => key(left.metadata.namespace, left.metadata.name).localeCompare(key(right.metadata.namespace, right.metadata.name)))
      .map(clone);
  }

  create(namespace: string, body: unknown): StoredConfigMap {
    const object = decodeConfigMap(body);
    const name = object.metadata.name;
    if (typeof object.metadata.namespace === 'string' && object.metadata.namespace !== '' && object.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    validate(object, name);
    if (this.objects.has(key(namespace, name))) throw alreadyExists(RESOURCE, name);

    const stored: StoredConfigMap = {
      ...object,
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        ...withoutServerFields(object.metadata),
        name,
        namespace,
        uid: randomUUID(),
        resourceVersion: '',
        creationTimestamp: rfc3339(this.now()),
      },
    };
    return this.commit('ADDED', stored);
  }

  /** PUT: replaces the object; a resourceVersion in the body must be the current one. */
  replace(namespace: string, name: string, body: unknown): StoredConfigMap {
    const object = decodeConfigMap(body);
    if (object.metadata.name !== name) throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    const current = this.objects.get(key(namespace, name));
    if (current === undefined) throw notFound(RESOURCE, name);
    const requested = object.metadata.resourceVersion;
    if (typeof requested === 'string' && requested !== '' && requested !== current.metadata.resourceVersion) throw conflict(RESOURCE, name);
    if (current.immutable === true) throw invalid('ConfigMap', name, [{ reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set', field: 'data' }]);
    validate(object, name);

    const stored: StoredConfigMap = {
      ...object,
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        ...withoutServerFields(object.metadata),
        name,
        namespace,
        uid: current.metadata.uid,
        resourceVersion: current.metadata.resourceVersion,
        creationTimestamp: current.metadata.creationTimestamp,
      },
    };
    if (sameContent(stored, current)) return clone(current);
    return this.commit('MODIFIED', stored);
  }

  delete(namespace: string, name: string, preconditionResourceVersion?: string): StoredConfigMap {
    const current = this.objects.get(key(namespace, name));
    if (current === undefined) throw notFound(RESOURCE, name);
    if (preconditionResourceVersion !== undefined && preconditionResourceVersion !== current.metadata.resourceVersion) {
      throw conflict(RESOURCE, name);
    }
    return this.commit('DELETED', clone(current));
  }

  /** The oldest resourceVersion a watch can still start from; older ones are compacted away. */
  get compactedResourceVersion(): number {
    return this.compactedRevision;
  }

  /** Forgets the change history, as etcd compaction does: watches from an older resourceVersion expire. */
  compact(): void {
    this.history.length = 0;
    this.compactedRevision = this.revision;
  }

  /** Events after `resourceVersion`, oldest first. */
  eventsSince(resourceVersion: number): WatchEvent[] {
    return this.history.filter((event) => event.resourceVersion > resourceVersion).map((event) => ({ ...event, object: clone(event.object) }));
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private commit(type: EventType, object: StoredConfigMap): StoredConfigMap {
    this.revision += 1;
    const stored = clone(object);
    stored.metadata.resourceVersion = String(this.revision);
    const id = key(stored.metadata.namespace, stored.metadata.name);
    if (type === 'DELETED') this.objects.delete(id);
    else this.objects.set(id, stored);

    const event: WatchEvent = { type, object: clone(stored), resourceVersion: this.revision };
    this.history.push(event);
    for (const listener of this.listeners) listener({ ...event, object: clone(stored) });
    return clone(stored);
  }
}

/** Checks the shape a ConfigMap must have to decode, as the API server's JSON decoder does. */
function decodeConfigMap(body: unknown): StoredConfigMap {
  if (!isRecord(body)) throw badRequest('the body of the request is not a JSON object');
  if (body['kind'] !== undefined && body['kind'] !== 'ConfigMap') {
    throw badRequest(`the API version in the data (${String(body['apiVersion'])}) and kind (${String(body['kind'])}) do not match the configmaps resource`);
  }
  const metadata = body['metadata'];
  if (!isRecord(metadata)) throw badRequest('ConfigMap in version "v1" cannot be handled as a ConfigMap: metadata is missing');
  for (const field of ['data', 'binaryData'] as const) checkStringMap(body[field], field);
  for (const field of ['labels', 'annotations'] as const) checkStringMap(metadata[field], `metadata.${field}`);
  if (typeof metadata['name'] !== 'string' || metadata['name'] === '') {
    throw invalid('ConfigMap', '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  }
  return body as unknown as StoredConfigMap;
}

function checkStringMap(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) throw cannotDecode(`cannot unmarshal ${jsonType(value)} into Go struct field ${goField(field)} of type map[string]string`);
  for (const [entry, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw cannotDecode(`cannot unmarshal ${jsonType(item)} into Go struct field ${goField(field)} of type string (key ${entry})`);
  }
}

/** The API server rejects a body that does not decode into the Go type with 400 BadRequest. */
function cannotDecode(reason: string) {
  return badRequest(`ConfigMap in version "v1" cannot be handled as a ConfigMap: json: ${reason}`);
}

function goField(field: string): string {
  return `ConfigMap.${field}`;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** Field validation that answers 422 Invalid, with the API server's wording. */
function validate(object: StoredConfigMap, name: string): void {
  const causes: StatusCause[] = [];
  if (!NAME.test(name) || name.length > 253) {
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`, field: 'metadata.name' });
  }
  const dataKeys = Object.keys(object.data ?? {});
  for (const dataKey of [...dataKeys, ...Object.keys(object.binaryData ?? {})]) {
    if (!DATA_KEY.test(dataKey)) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${dataKey}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`, field: `data[${dataKey}]` });
    }
  }
  for (const dataKey of Object.keys(object.binaryData ?? {})) {
    if (dataKeys.includes(dataKey)) causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${dataKey}": duplicate of key present in data`, field: `binaryData[${dataKey}]` });
  }
  const size = [...Object.entries(object.data ?? {}), ...Object.entries(object.binaryData ?? {})]
    .reduce((total, [entryKey, value]) => total + entryKey.length + Buffer.byteLength(value), 0);
  if (size > MAX_CONFIGMAP_BYTES) causes.push({ reason: 'FieldValueTooLong', message: `Too long: must have at most ${MAX_CONFIGMAP_BYTES} bytes`, field: '[]' });
  if (causes.length > 0) throw invalid('ConfigMap', name, causes);
}

function withoutServerFields(metadata: Metadata): Record<string, unknown> {
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, managedFields: _mf, selfLink: _sl, ...rest } = metadata;
  return rest;
}

function sameContent(left: StoredConfigMap, right: StoredConfigMap): boolean {
  return JSON.stringify(normalise(left)) === JSON.stringify(normalise(right));
}

function normalise(object: StoredConfigMap): unknown {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (!isRecord(value)) return value;
    return Object.fromEntries(Object.keys(value).sort().map((entry) => [entry, sorted(value[entry])]));
  };
  return sorted(object);
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 3339 in UTC with whole seconds, the API server's timestamp format. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
