import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The user a TokenReview returned, or why it did not authenticate. */
export type ReviewResult =
  | { readonly authenticated: true; readonly username: string; readonly groups: readonly string[] }
  | { readonly authenticated: false; readonly status: number };

export interface DemoApiServerOptions {
  readonly tls: { readonly cert: string; readonly key: string };
  /** Sends the bearer token to the authentication webhook, as kube-apiserver does. */
  readonly review: (token: string) => Promise<ReviewResult>;
  /** Called with every bearer token received, for tests that inspect what kubectl sent. */
  readonly onToken?: (token: string) => void;
}

export interface DemoApiServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a stand-in for kube-apiserver, for the demo and the kubectl tests only. It authenticates each
 * request through the TokenReview webhook and returns 401 like the API server when the token maps to
 * no user. It authorizes like default RBAC with one binding: `system:masters` may do anything, and
 * every other user gets 403. It serves legacy discovery and an empty pod list, which is all
 * `kubectl get pods` needs. It is not a Kubernetes API server.
 */
export async function startDemoApiServer(options: DemoApiServerOptions): Promise<DemoApiServer> {
  const server = createServer({ cert: options.tls.cert, key: options.tls.key }, (request, response) => {
    handle(request, response, options).catch(() => {
      if (!response.headersSent) sendStatus(response, 500, 'InternalError', 'internal error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}`, close: () => closeServer(server) };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: DemoApiServerOptions): Promise<void> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  if (token !== '') options.onToken?.(token);

  const review: ReviewResult = token === '' ? { authenticated: false, status: 401 } : await options.review(token);
  if (!review.authenticated) {
    sendStatus(response, 401, 'Unauthorized', 'Unauthorized');
    return;
  }

  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (!review.groups.includes('system:masters')) {
    sendForbidden(response, review.username, path);
    return;
  }
  sendResource(response, path);
}

function sendResource(response: ServerResponse, path: string): void {
  const namespacedPods = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(path);
  if (path === '/api') {
    sendJson(response, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
  } else if (path === '/apis') {
    sendJson(response, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
  } else if (path === '/api/v1') {
    sendJson(response, 200, {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [{
        name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'],
        verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch', 'update'],
      }],
    });
  } else if (namespacedPods !== null) {
    sendJson(response, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] });
  } else if (path === '/version') {
    sendJson(response, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0-kubeiam-demo', platform: 'linux/amd64' });
  } else {
    sendStatus(response, 404, 'NotFound', 'the server could not find the requested resource');
  }
}

function sendForbidden(response: ServerResponse, username: string, path: string): void {
  const namespacedPods = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(path);
  const message = namespacedPods !== null
    ? `pods is forbidden: User "${username}" cannot list resource "pods" in API group "" in the namespace "${namespacedPods[1] ?? ''}"`
    : `forbidden: User "${username}" cannot get path "${path}"`;
  sendStatus(response, 403, 'Forbidden', message);
}

function sendStatus(response: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(response, code, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code,
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
