import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSelfSignedCertificate } from '../../src/webhook/certificate.js';
import { API_RESOURCES, API_VERSIONS, GROUP_LIST, namespaceObject, VERSION_INFO } from './discovery.js';
import { applyPatch } from './patch.js';
import { gone, internalError, methodNotAllowed, notFound, StatusError, success, unauthorized, type KubeStatus } from './status.js';
import { ConfigMapStore, isRecord, type StoredConfigMap, type WatchEvent } from './store.js';

/**
 * TEST-ONLY Kubernetes API server. It serves ConfigMaps (in any namespace) over HTTPS with the
 * semantics kubeiam relies on: resourceVersion, 409 Conflict, 404, 400 and 422 Status objects, merge,
 * strategic merge and JSON patches, watch streams, and the discovery documents kubectl reads. It is
 * not kube-apiserver: no other resource, no RBAC, no label selectors, no protobuf, no managedFields,
 * no server-side apply and no OpenAPI document, so `kubectl apply` needs `--validate=false`.
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
  /** Renders a kubeconfig for this server (context `test`, cluster `test-apiserver`). */
  kubeconfig(options?: { token?: string; context?: string; namespace?: string }): string;
  close(): Promise<void>;
}

const NAMESPACE = /^\/api\/v1\/namespaces\/([^/]+)$/;
const CONFIGMAPS = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps(?:\/([^/]+))?$/;
const ALL_CONFIGMAPS = '/api/v1/configmaps';
const MAX_BODY_BYTES = 3 * 1024 * 1024;

interface State {
  readonly options: TestApiServerOptions;
  readonly store: ConfigMapStore;
  readonly requests: RequestRecord[];
  readonly watches: Set<ServerResponse>;
  conflicts: number;
  failingWatches: number;
  barrier: ReadBarrier | undefined;
}

interface ReadBarrier {
  readonly count: number;
  readonly waiting: (() => void)[];
  readonly timer: NodeJS.Timeout;
}

export async function startTestApiServer(options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const tls = generateSelfSignedCertificate({ commonName: 'kubeiam-test-apiserver' });
  const state: State = { options, store: new ConfigMapStore(options.now), requests: [], watches: new Set(), conflicts: 0, failingWatches: 0, barrier: undefined };
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
    // A patch applies to the version it read; only a resourceVersion the patch itself sets is checked.
    const resourceVersion = isRecord(patched) && isRecord(patched['metadata']) && patched['metadata']['resourceVersion'] !== current.metadata.resourceVersion
      ? patched['metadata']['resourceVersion']
      : current.metadata.resourceVersion;
    const next = isRecord(patched) && isRecord(patched['metadata']) ? { ...patched, metadata: { ...patched['metadata'], resourceVersion } } : patched;
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
  if (state.failingWatches > 0) {
    state.failingWatches -= 1;
    throw internalError('watch failed on purpose (TestApiServer.failWatches)');
  }
  const filter = objectFilter(namespace, url.searchParams.get('fieldSelector'));
  const since = url.searchParams.get('resourceVersion');
  const sinceNumber = since === null || since === '' || since === '0' ? undefined : Number(since);
  if (sinceNumber !== undefined && (!Number.isInteger(sinceNumber) || sinceNumber > state.store.resourceVersion)) {
    throw gone(`too old resource version: ${since} (${state.store.resourceVersion})`);
  }

  if (sinceNumber !== undefined && sinceNumber < state.store.compactedResourceVersion) {
    // kube-apiserver starts the stream and sends the expiry as an ERROR event.
    record(state, request, 200, true);
    response.writeHead(200, { 'content-type': 'application/json' });
    const expired = gone(`too old resource version: ${since} (${state.store.compactedResourceVersion})`).status;
    response.end(`${JSON.stringify({ type: 'ERROR', object: expired })}\n`);
    return;
  }
  record(state, request, 200, true);
  response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  const send = (event: Pick<WatchEvent, 'type' | 'object'>): void => {
    // A stream ended by dropWatches() stays subscribed until its 'close' event.
    if (response.writableEnded) return;
    if (filter(event.object)) response.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
  };
  const initial = sinceNumber === undefined
    ? state.store.list(namespace).map((object) => ({ type: 'ADDED' as const, object }))
    : state.store.eventsSince(sinceNumber);
  for (const event of initial) send(event);

  state.watches.add(response);
  const unsubscribe = state.store.subscribe(send);
  const stop = (): void => {
    unsubscribe();
    state.watches.delete(response);
  };
  response.on('close', stop);
  request.on('close', stop);
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
