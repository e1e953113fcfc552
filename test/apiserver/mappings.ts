import { randomUUID } from 'node:crypto';
import { alreadyExists, badRequest, conflict, invalid, notFound, type StatusCause } from './status.js';
import { isRecord } from './store.js';

export const MAPPING_GROUP = 'iamauthenticator.k8s.aws';
export const MAPPING_VERSION = 'v1alpha1';
export const MAPPING_API_VERSION = `${MAPPING_GROUP}/${MAPPING_VERSION}`;
const RESOURCE = `iamidentitymappings.${MAPPING_GROUP}`;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A cluster-scoped IAMIdentityMapping as stored: server fields set by the store. */
export interface StoredIdentityMapping {
  apiVersion: typeof MAPPING_API_VERSION;
  kind: 'IAMIdentityMapping';
  metadata: {
    name: string;
    uid: string;
    resourceVersion: string;
    generation: number;
    creationTimestamp: string;
    [field: string]: unknown;
  };
  spec: { arn?: string; username?: string; groups?: string[] };
  status?: { canonicalARN?: string; userID?: string };
}

export interface MappingWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: StoredIdentityMapping;
  readonly resourceVersion: number;
}

/**
 * IAMIdentityMappings in memory, served as a CustomResourceDefinition with the status subresource
 * serves them: create drops `status`, an update of the object keeps the stored status, and only
 * the `/status` subresource changes it. `metadata.generation` grows when the spec changes. Like
 * ConfigMapStore it has a strictly increasing resourceVersion, 409 Conflict for an old one, and a
 * change history that `compact()` drops so that watches from before it expire.
 */
export class IdentityMappingStore {
  private revision = 100;
  private readonly objects = new Map<string, StoredIdentityMapping>();
  private readonly history: MappingWatchEvent[] = [];
  private compactedRevision = 0;
  private readonly listeners = new Set<(event: MappingWatchEvent) => void>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch can still start from. */
  get compactedResourceVersion(): number {
    return this.compactedRevision;
  }

  get(name: string): StoredIdentityMapping {
    const object = this.objects.get(name);
    if (object === undefined) throw notFound(RESOURCE, name);
    return structuredClone(object);
  }

  /** Returns a copy of every object, sorted by name. */
  list(): StoredIdentityMapping[] {
    return [...this.objects.values()].sort((left, right) => left.metadata.name.localeCompare(right.metadata.name)).map((object) => structuredClone(object));
  }

  /** POST: creates the object; a `status` in the body is dropped, as for any CRD with a status subresource. */
  create(body: unknown): StoredIdentityMapping {
    const object = decodeMapping(body);
    const name = object.metadata.name;
    if (this.objects.has(name)) throw alreadyExists(RESOURCE, name);
    const { status: _status, ...rest } = object;
    const stored: StoredIdentityMapping = {
      ...rest,
      apiVersion: MAPPING_API_VERSION,
      kind: 'IAMIdentityMapping',
      metadata: { ...withoutServerFields(object.metadata), name, uid: randomUUID(), resourceVersion: '', generation: 1, creationTimestamp: rfc3339(this.now()) },
    };
    return this.commit('ADDED', stored);
  }

  /** PUT of the object: replaces everything but `status`; a resourceVersion in the body must be the current one. */
  replace(name: string, body: unknown): StoredIdentityMapping {
    const object = decodeMapping(body);
    const current = this.current(name, object);
    const generation = JSON.stringify(object.spec) === JSON.stringify(current.spec) ? current.metadata.generation : current.metadata.generation + 1;
    const { status: _status, ...rest } = object;
    const stored: StoredIdentityMapping = {
      ...rest,
      apiVersion: MAPPING_API_VERSION,
      kind: 'IAMIdentityMapping',
      metadata: { ...withoutServerFields(object.metadata), ...serverFields(current), generation },
      ...(current.status === undefined ? {} : { status: current.status }),
    };
    return this.commitIfChanged(stored, current);
  }

  /** PUT of `/status`: replaces only `status`; a resourceVersion in the body must be the current one. */
  replaceStatus(name: string, body: unknown): StoredIdentityMapping {
    const object = decodeMapping(body);
    const current = this.current(name, object);
    const { status: _status, ...rest } = current;
    const stored: StoredIdentityMapping = { ...rest, ...(object.status === undefined ? {} : { status: object.status }) };
    return this.commitIfChanged(stored, current);
  }

  delete(name: string, preconditionResourceVersion?: string): StoredIdentityMapping {
    const current = this.objects.get(name);
    if (current === undefined) throw notFound(RESOURCE, name);
    if (preconditionResourceVersion !== undefined && preconditionResourceVersion !== current.metadata.resourceVersion) throw conflict(RESOURCE, name);
    return this.commit('DELETED', structuredClone(current));
  }

  /** Forgets the change history, as etcd compaction does. */
  compact(): void {
    this.history.length = 0;
    this.compactedRevision = this.revision;
  }

  /** Events after `resourceVersion`, oldest first. */
  eventsSince(resourceVersion: number): MappingWatchEvent[] {
    return this.history.filter((event) => event.resourceVersion > resourceVersion).map((event) => ({ ...event, object: structuredClone(event.object) }));
  }

  subscribe(listener: (event: MappingWatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private current(name: string, object: StoredIdentityMapping): StoredIdentityMapping {
    if (object.metadata.name !== name) throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    const current = this.objects.get(name);
    if (current === undefined) throw notFound(RESOURCE, name);
    const requested = object.metadata.resourceVersion;
    if (typeof requested === 'string' && requested !== '' && requested !== current.metadata.resourceVersion) throw conflict(RESOURCE, name);
    return current;
  }

  private commitIfChanged(stored: StoredIdentityMapping, current: StoredIdentityMapping): StoredIdentityMapping {
    const comparable = (object: StoredIdentityMapping): string => JSON.stringify({ ...object, metadata: { ...object.metadata, resourceVersion: '' } }, Object.keys(flatten(object)).sort());
    if (comparable(stored) === comparable(current)) return structuredClone(current);
    return this.commit('MODIFIED', stored);
  }

  private commit(type: MappingWatchEvent['type'], object: StoredIdentityMapping): StoredIdentityMapping {
    this.revision += 1;
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(this.revision);
    if (type === 'DELETED') this.objects.delete(stored.metadata.name);
    else this.objects.set(stored.metadata.name, stored);
    const event: MappingWatchEvent = { type, object: structuredClone(stored), resourceVersion: this.revision };
    this.history.push(event);
    for (const listener of this.listeners) listener({ ...event, object: structuredClone(stored) });
    return structuredClone(stored);
  }
}

/** Checks the body against the CRD's structural schema: spec.arn and spec.username strings, spec.groups a string list. */
function decodeMapping(body: unknown): StoredIdentityMapping {
  if (!isRecord(body)) throw badRequest('the body of the request is not a JSON object');
  if (body['kind'] !== undefined && body['kind'] !== 'IAMIdentityMapping') {
    throw badRequest(`the API version in the data (${String(body['apiVersion'])}) and kind (${String(body['kind'])}) do not match the iamidentitymappings resource`);
  }
  const metadata = body['metadata'];
  if (!isRecord(metadata)) throw badRequest('IAMIdentityMapping cannot be handled: metadata is missing');
  const name = metadata['name'];
  if (typeof name !== 'string' || name === '') {
    throw invalid('IAMIdentityMapping', '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  }
  const causes: StatusCause[] = [];
  if (!NAME.test(name) || name.length > 253) {
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`, field: 'metadata.name' });
  }
  const spec = body['spec'] ?? {};
  if (!isRecord(spec)) {
    causes.push({ reason: 'FieldValueTypeInvalid', message: `Invalid value: "${typeof spec}": spec in body must be of type object`, field: 'spec' });
  } else {
    for (const field of ['arn', 'username'] as const) {
      if (spec[field] !== undefined && typeof spec[field] !== 'string') causes.push(typeError(`spec.${field}`, spec[field], 'string'));
    }
    const groups = spec['groups'];
    if (groups !== undefined && (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string'))) causes.push(typeError('spec.groups', groups, 'array of strings'));
  }
  if (causes.length > 0) throw invalid('IAMIdentityMapping', name, causes);
  return { ...body, spec } as unknown as StoredIdentityMapping;
}

function typeError(field: string, value: unknown, expected: string): StatusCause {
  return { reason: 'FieldValueTypeInvalid', message: `Invalid value: "${Array.isArray(value) ? 'array' : typeof value}": ${field} in body must be of type ${expected}`, field };
}

function withoutServerFields(metadata: Record<string, unknown>): Record<string, unknown> {
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, generation: _gen, managedFields: _mf, selfLink: _sl, namespace: _ns, ...rest } = metadata;
  return rest;
}

function serverFields(current: StoredIdentityMapping): Pick<StoredIdentityMapping['metadata'], 'name' | 'uid' | 'resourceVersion' | 'creationTimestamp'> {
  const { name, uid, resourceVersion, creationTimestamp } = current.metadata;
  return { name, uid, resourceVersion, creationTimestamp };
}

/** Collects every key of an object at any depth, so that JSON.stringify can sort keys at every level. */
function flatten(value: unknown, keys: Record<string, true> = {}): Record<string, true> {
  if (Array.isArray(value)) for (const item of value) flatten(item, keys);
  else if (isRecord(value)) {
    for (const [field, item] of Object.entries(value)) {
      keys[field] = true;
      flatten(item, keys);
    }
  }
  return keys;
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
