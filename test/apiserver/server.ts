import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSelfSignedCertificate } from '../../src/webhook/certificate.js';
import {
  API_RESOURCES,
  API_VERSIONS,
  GROUP_LIST,
  MAPPING_GROUP_DOCUMENT,
  MAPPING_RESOURCES,
  namespaceObject,
  OPENAPI_V3_MAPPING_PATH,
  OPENAPI_V3_MAPPINGS,
  OPENAPI_V3_ROOT,
  VERSION_INFO,
} from './discovery.js';
import { EventStore } from './events.js';
import { IdentityMappingStore, MAPPING_API_VERSION, type MappingWatchEvent, type StoredIdentityMapping } from './mappings.js';
import { applyPatch } from './patch.js';
import { gone, internalError, methodNotAllowed, notFound, StatusError, success, unauthorized, type KubeStatus } from './status.js';
import { ConfigMapStore, isRecord, type StoredConfigMap } from './store.js';

/**
 * TEST-ONLY Kubernetes API server. It serves ConfigMaps (in any namespace) and the cluster-scoped
 * IAMIdentityMapping custom resource (with its `/status` subresource) over HTTPS. It has the
 * semantics kubeiam relies on: resourceVersion, 409 Conflict, 404, 400 and 422 Status objects, merge,
 * strategic merge and JSON patches, watch streams, and the discovery documents kubectl reads. It
 * also stores posted core/v1 Events. It is not kube-apiserver: no other resource, no RBAC, no label
 * selectors, no protobuf, no managedFields, no server-side apply, and OpenAPI v3 only for the
 * IAMIdentityMapping group. So `kubectl apply` of a mapping works as usual, but `kubectl apply` of
 * a ConfigMap needs `--validate=false`.
 */
export interface TestApiServerOptions {
  /** Require `Authorization: Bearer <token>` on every request. Default: no authentication. */
  readonly token?: string;
  /** Default: `() => new Date()`. */
  readonly now?: () => Date;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly watch: boolean;
}

export interface TestApiServer {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** PEM certificate of the server, for a kubeconfig's `certificate-authority-data`. */
  readonly caCert: string;
  readonly store: ConfigMapStore;
  /** IAMIdentityMappings (`iamauthenticator.k8s.aws/v1alpha1`, cluster-scoped). */
  readonly mappings: IdentityMappingStore;
  /** Events posted to `/api/v1/namespaces/<namespace>/events`. */
  readonly events: EventStore;
  /** Every request served so far, in order. */
  readonly requests: readonly RequestRecord[];
  /** Number of 409 Conflict responses to writes that named an old resourceVersion. */
  conflicts(): number;
  /** Number of watch streams open now. */
  openWatches(): number;
  /** Ends every open watch stream, as an API server does at its watch timeout or on restart. */
  dropWatches(): void;
  /**
   * Holds the next `count` GETs of single objects until all `count` have arrived (or `maxWaitMs`
   * passed), then responds to them together, so that concurrent writers surely read the same
   * resourceVersion and all but one must conflict.
   */
  holdReads(count: number, maxWaitMs?: number): void;
  /** Fails the next `count` watch requests with 500 InternalError. */
  failWatches(count: number): void;
  /** Makes the next `count` watch streams carry only an ERROR event of 500 InternalError. */
  failWatchStreams(count: number): void;
  /** Renders a kubeconfig for this server (context `test`, cluster `test-apiserver`). */
  kubeconfig(options?: { token?: string; context?: string; namespace?: string }): string;
  close(): Promise<void>;
}

const NAMESPACE = /^\/api\/v1\/namespaces\/([^/]+)$/;
const CONFIGMAPS = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps(?:\/([^/]+))?$/;
const ALL_CONFIGMAPS = '/api/v1/configmaps';
const MAPPINGS = /^\/apis\/iamauthenticator\.k8s\.aws\/v1alpha1\/iamidentitymappings(?:\/([^/]+)(\/status)?)?$/;
const EVENTS = /^\/api\/v1\/namespaces\/([^/]+)\/events$/;
const MAX_BODY_BYTES = 3 * 1024 * 1024;

interface State {
  readonly options: TestApiServerOptions;
  readonly store: ConfigMapStore;
  readonly mappings: IdentityMappingStore;
  readonly events: EventStore;
  readonly requests: RequestRecord[];
  readonly watches: Set<ServerResponse>;
  conflicts: number;
  failingWatches: number;
  failingStreams: number;
  barrier: ReadBarrier | undefined;
}

interface ReadBarrier {
  readonly count: number;
  readonly waiting: (() => void)[];
  readonly timer: NodeJS.Timeout;
}

export async function startTestApiServer(options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const tls = generateSelfSignedCertificate({ commonName: 'kubeiam-test-apiserver' });
  const state: State = {
    options,
    store: new ConfigMapStore(options.now),
    mappings: new IdentityMappingStore(options.now),
    events: new EventStore(options.now),
    requests: [], watches: new Set(), conflicts: 0, failingWatches: 0, failingStreams: 0, barrier: undefined };
  const server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    handle(request, response, state).catch((error: unknown) => {
      const status = error instanceof StatusError ? error.status : internalError(String(error)).status;
      record(state, request, status.code, false);
      if (!response.headersSent) sendJson(response, status.code, status);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    caCert: tls.cert,
    store: state.store,
    mappings: state.mappings,
    events: state.events,
    requests: state.requests,
    conflicts: () => state.conflicts,
    openWatches: () => state.watches.size,
    dropWatches: () => {
      for (const response of state.watches) response.end();
      state.watches.clear();
    },
    holdReads: (count, maxWaitMs = 10_000) => {
      const waiting: (() => void)[] = [];
      const timer = setTimeout(() => releaseReads(state), maxWaitMs);
      state.barrier = { count, waiting, timer };
    },
    failWatchStreams: (count) => {
      state.failingStreams = count;
    },
    failWatches: (count) => {
      state.failingWatches = count;
    },
    kubeconfig: (config = {}) => renderKubeconfig(url, tls.cert, config),
    close: () => closeServer(server, state),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, state: State): Promise<void> {
  authenticate(request, state.options);
  const url = new URL(request.url ?? '/', 'https://localhost');
  const method = request.method ?? 'GET';
  const watch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');

  const discovery = discoveryDocument(url.pathname);
  if (discovery !== undefined) {
    if (method !== 'GET') throw methodNotAllowed(method);
    respond(state, request, response, 200, discovery);
    return;
  }

  if (url.pathname === ALL_CONFIGMAPS) {
    if (method !== 'GET') throw methodNotAllowed(method);
    if (watch) startWatch(request, response, state, undefined, url);
    else respond(state, request, response, 200, listBody(state.store, undefined, url));
    return;
  }

  const mapping = MAPPINGS.exec(url.pathname);
  if (mapping !== null) {
    const name = mapping[1] === undefined ? undefined : decodeURIComponent(mapping[1]);
    if (name === undefined) await handleMappingCollection(request, response, state, url, watch);
    else await handleMapping(request, response, state, name, mapping[2] !== undefined);
    return;
  }
  const events = EVENTS.exec(url.pathname);
  if (events !== null) {
    const namespace = decodeURIComponent(events[1] ?? '');
    if (method === 'POST') respond(state, request, response, 201, state.events.create(namespace, await readJson(request)));
    else if (method === 'GET') respond(state, request, response, 200, { kind: 'EventList', apiVersion: 'v1', metadata: {}, items: state.events.list(namespace) });
    else throw methodNotAllowed(method);
    return;
  }

  const match = CONFIGMAPS.exec(url.pathname);
  if (match === null) throw pathNotFound();
  const namespace = decodeURIComponent(match[1] ?? '');
  const name = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  if (name === undefined) await handleCollection(request, response, state, namespace, url, watch);
  else await handleObject(request, response, state, namespace, name);
}

async function handleCollection(request: IncomingMessage, response: ServerResponse, state: State, namespace: string, url: URL, watch: boolean): Promise<void> {
  const method = request.method ?? 'GET';
  if (method === 'GET' && watch) startWatch(request, response, state, namespace, url);
  else if (method === 'GET') respond(state, request, response, 200, listBody(state.store, namespace, url));
  else if (method === 'POST') respond(state, request, response, 201, state.store.create(namespace, await readJson(request)));
  else throw methodNotAllowed(method);
}

async function handleObject(request: IncomingMessage, response: ServerResponse, state: State, namespace: string, name: string): Promise<void> {
  const method = request.method ?? 'GET';
  const store = state.store;
  if (method === 'GET') {
    await waitAtBarrier(state);
    respond(state, request, response, 200, store.get(namespace, name));
  } else if (method === 'PUT') {
    const body = readJsonSync(await readBody(request));
    respond(state, request, response, 200, countConflict(state, () => store.replace(namespace, name, body)));
  } else if (method === 'PATCH') {
    const body = await readBody(request);
    const current = store.get(namespace, name);
    const patched = applyPatch(current, request.headers['content-type'] ?? '', body);
    const next = keepReadVersion(patched, current.metadata.resourceVersion);
    respond(state, request, response, 200, countConflict(state, () => store.replace(namespace, name, next)));
  } else if (method === 'DELETE') {
    const precondition = await deletePrecondition(request);
    const deleted = countConflict(state, () => store.delete(namespace, name, precondition));
    respond(state, request, response, 200, success({ name, kind: 'configmaps', uid: deleted.metadata.uid }));
  } else {
    throw methodNotAllowed(method);
  }
}

/**
 * Streams watch events as newline-delimited JSON. Without a resourceVersion (or with "0") the
 * stream starts with an ADDED event for each current object; with one, it replays every change
 * after it. A compacted resourceVersion gets an ERROR event with 410 Expired, as kube-apiserver
 * sends it; a resourceVersion newer than the store's gets HTTP 410.
 */
function startWatch(request: IncomingMessage, response: ServerResponse, state: State, namespace: string | undefined, url: URL): void {
  const filter = objectFilter(namespace, url.searchParams.get('fieldSelector'));
  const store = state.store;
  streamWatch(request, response, state, url, {
    resourceVersion: store.resourceVersion,
    compactedResourceVersion: store.compactedResourceVersion,
    list: () => store.list(namespace).filter(filter),
    eventsSince: (since) => store.eventsSince(since).filter((event) => filter(event.object)),
    subscribe: (listener) => store.subscribe((event) => {
      if (filter(event.object)) listener(event);
    }),
  });
}

/** What a watch stream reads from a store: its versions, its objects, its history and its live changes. */
interface WatchSource<T> {
  readonly resourceVersion: number;
  readonly compactedResourceVersion: number;
  list(): T[];
  eventsSince(resourceVersion: number): { type: string; object: T }[];
  subscribe(listener: (event: { type: string; object: T }) => void): () => void;
}

function streamWatch<T>(request: IncomingMessage, response: ServerResponse, state: State, url: URL, source: WatchSource<T>): void {
  if (state.failingWatches > 0) {
    state.failingWatches -= 1;
    throw internalError('watch failed on purpose (TestApiServer.failWatches)');
  }
  if (state.failingStreams > 0) {
    state.failingStreams -= 1;
    record(state, request, 200, true);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`${JSON.stringify({ type: 'ERROR', object: internalError('watch failed on purpose (TestApiServer.failWatchStreams)').status })}\n`);
    return;
  }
  const since = url.searchParams.get('resourceVersion');
  const sinceNumber = since === null || since === '' || since === '0' ? undefined : Number(since);
  if (sinceNumber !== undefined && (!Number.isInteger(sinceNumber) || sinceNumber > source.resourceVersion)) {
    throw gone(`too old resource version: ${since} (${source.resourceVersion})`);
  }

  if (sinceNumber !== undefined && sinceNumber < source.compactedResourceVersion) {
    // kube-apiserver starts the stream and sends the expiry as an ERROR event.
    record(state, request, 200, true);
    response.writeHead(200, { 'content-type': 'application/json' });
    const expired = gone(`too old resource version: ${since} (${source.compactedResourceVersion})`).status;
    response.end(`${JSON.stringify({ type: 'ERROR', object: expired })}\n`);
    return;
  }
  record(state, request, 200, true);
  response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  // kube-apiserver sends the headers at once, so a client sees the stream open before any event.
  response.flushHeaders();
  const send = (event: { type: string; object: T }): void => {
    // A stream ended by dropWatches() stays subscribed until its 'close' event.
    if (response.writableEnded) return;
    response.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
  };
  const initial = sinceNumber === undefined
    ? source.list().map((object) => ({ type: 'ADDED', object }))
    : source.eventsSince(sinceNumber);
  for (const event of initial) send(event);

  state.watches.add(response);
  const unsubscribe = source.subscribe(send);
  const stop = (): void => {
    unsubscribe();
    state.watches.delete(response);
  };
  response.on('close', stop);
  request.on('close', stop);
}

async function handleMappingCollection(request: IncomingMessage, response: ServerResponse, state: State, url: URL, watch: boolean): Promise<void> {
  const method = request.method ?? 'GET';
  const mappings = state.mappings;
  if (method === 'GET' && watch) {
    streamWatch<StoredIdentityMapping>(request, response, state, url, {
      resourceVersion: mappings.resourceVersion,
      compactedResourceVersion: mappings.compactedResourceVersion,
      list: () => mappings.list(),
      eventsSince: (since) => mappings.eventsSince(since),
      subscribe: (listener: (event: MappingWatchEvent) => void) => mappings.subscribe(listener),
    });
  } else if (method === 'GET') {
    respond(state, request, response, 200, { kind: 'IAMIdentityMappingList', apiVersion: MAPPING_API_VERSION, metadata: { resourceVersion: String(mappings.resourceVersion) }, items: mappings.list() });
  } else if (method === 'POST') {
    respond(state, request, response, 201, mappings.create(await readJson(request)));
  } else {
    throw methodNotAllowed(method);
  }
}

/** Serves GET, PUT and PATCH of one IAMIdentityMapping or its `/status` subresource, and DELETE of the object. */
async function handleMapping(request: IncomingMessage, response: ServerResponse, state: State, name: string, status: boolean): Promise<void> {
  const method = request.method ?? 'GET';
  const mappings = state.mappings;
  const write = (body: unknown): StoredIdentityMapping => countConflict(state, () => (status ? mappings.replaceStatus(name, body) : mappings.replace(name, body)));
  if (method === 'GET') {
    respond(state, request, response, 200, mappings.get(name));
  } else if (method === 'PUT') {
    respond(state, request, response, 200, write(readJsonSync(await readBody(request))));
  } else if (method === 'PATCH') {
    const current = mappings.get(name);
    const patched = applyPatch(current, request.headers['content-type'] ?? '', await readBody(request));
    respond(state, request, response, 200, write(keepReadVersion(patched, current.metadata.resourceVersion)));
  } else if (method === 'DELETE' && !status) {
    const precondition = await deletePrecondition(request);
    const deleted = countConflict(state, () => mappings.delete(name, precondition));
    respond(state, request, response, 200, success({ name, kind: 'iamidentitymappings', uid: deleted.metadata.uid }));
  } else {
    throw methodNotAllowed(method);
  }
}

/** A patch applies to the version it read; only a resourceVersion the patch itself sets is checked. */
function keepReadVersion(patched: unknown, readVersion: string): unknown {
  if (!isRecord(patched) || !isRecord(patched['metadata'])) return patched;
  const resourceVersion = patched['metadata']['resourceVersion'] !== readVersion ? patched['metadata']['resourceVersion'] : readVersion;
  return { ...patched, metadata: { ...patched['metadata'], resourceVersion } };
}

function waitAtBarrier(state: State): Promise<void> {
  const barrier = state.barrier;
  if (barrier === undefined) return Promise.resolve();
  const waited = new Promise<void>((resolve) => barrier.waiting.push(resolve));
  if (barrier.waiting.length >= barrier.count) releaseReads(state);
  return waited;
}

function releaseReads(state: State): void {
  const barrier = state.barrier;
  if (barrier === undefined) return;
  state.barrier = undefined;
  clearTimeout(barrier.timer);
  for (const release of barrier.waiting) release();
}

function objectFilter(namespace: string | undefined, fieldSelector: string | null): (object: StoredConfigMap) => boolean {
  const required: [string, string][] = [];
  for (const term of (fieldSelector ?? '').split(',').filter((part) => part !== '')) {
    const [field, value] = term.split('=');
    required.push([field ?? '', value ?? '']);
  }
  return (object) => {
    if (namespace !== undefined && object.metadata.namespace !== namespace) return false;
    return required.every(([field, value]) => {
      if (field === 'metadata.name') return object.metadata.name === value;
      if (field === 'metadata.namespace') return object.metadata.namespace === value;
      return false;
    });
  };
}

function listBody(store: ConfigMapStore, namespace: string | undefined, url: URL): unknown {
  const filter = objectFilter(namespace, url.searchParams.get('fieldSelector'));
  return {
    kind: 'ConfigMapList',
    apiVersion: 'v1',
    metadata: { resourceVersion: String(store.resourceVersion) },
    items: store.list(namespace).filter(filter),
  };
}

function discoveryDocument(path: string): unknown {
  if (path === '/api') return API_VERSIONS;
  if (path === '/api/v1') return API_RESOURCES;
  if (path === '/apis') return GROUP_LIST;
  if (path === '/apis/iamauthenticator.k8s.aws') return MAPPING_GROUP_DOCUMENT;
  if (path === '/apis/iamauthenticator.k8s.aws/v1alpha1') return MAPPING_RESOURCES;
  if (path === '/openapi/v3') return OPENAPI_V3_ROOT;
  if (path === OPENAPI_V3_MAPPING_PATH) return OPENAPI_V3_MAPPINGS;
  if (path === '/version') return VERSION_INFO;
  const namespace = NAMESPACE.exec(path)?.[1];
  // Every namespace exists, so kubectl's follow-up check after a 404 finds it.
  if (namespace !== undefined) return namespaceObject(decodeURIComponent(namespace));
  return undefined;
}

function countConflict<T>(state: State, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof StatusError && error.status.reason === 'Conflict') state.conflicts += 1;
    throw error;
  }
}

async function deletePrecondition(request: IncomingMessage): Promise<string | undefined> {
  const body = await readBody(request);
  if (body.trim() === '') return undefined;
  const options = readJsonSync(body);
  if (!isRecord(options) || !isRecord(options['preconditions'])) return undefined;
  const resourceVersion = options['preconditions']['resourceVersion'];
  return typeof resourceVersion === 'string' ? resourceVersion : undefined;
}

function authenticate(request: IncomingMessage, options: TestApiServerOptions): void {
  if (options.token === undefined) return;
  if (request.headers.authorization !== `Bearer ${options.token}`) throw unauthorized();
}

function pathNotFound(): StatusError {
  const error = notFound('', '');
  return new StatusError({ ...error.status, message: 'the server could not find the requested resource', details: {} });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new StatusError({ ...internalError('').status, code: 413, reason: 'RequestEntityTooLarge', message: 'the request body is too large' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  return readJsonSync(await readBody(request));
}

function readJsonSync(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new StatusError({ ...internalError('').status, code: 400, reason: 'BadRequest', message: `the request body is not JSON: ${(error as Error).message}` });
  }
}

function respond(state: State, request: IncomingMessage, response: ServerResponse, code: number, body: unknown): void {
  record(state, request, code, false);
  sendJson(response, code, body);
}

function record(state: State, request: IncomingMessage, status: number, watch: boolean): void {
  state.requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', status, watch });
}

function sendJson(response: ServerResponse, status: number, body: unknown | KubeStatus): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function renderKubeconfig(url: string, caCert: string, options: { token?: string; context?: string; namespace?: string }): string {
  const context = options.context ?? 'test';
  // kubectl prompts for a password when a user has no credentials at all, so there is always a token.
  const user = `\n    token: ${options.token ?? 'kubeiam-test-token'}`;
  const namespace = options.namespace === undefined ? '' : `\n    namespace: ${options.namespace}`;
  return `apiVersion: v1
kind: Config
clusters:
- name: test-apiserver
  cluster:
    server: ${url}
    certificate-authority-data: ${Buffer.from(caCert).toString('base64')}
users:
- name: test-user
  user:${user}
contexts:
- name: ${context}
  context:
    cluster: test-apiserver
    user: test-user${namespace}
current-context: ${context}
`;
}

function closeServer(server: Server, state: State): Promise<void> {
  releaseReads(state);
  for (const response of state.watches) response.end();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
