import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { HttpError, WebhookConfigError, type WebhookResponse } from './errors.js';
import type { AuthenticateHandler } from './handler.js';
import type { HealthReport } from './health.js';
import type { WebhookMetrics } from './metrics.js';
import { redactSecrets } from './redact.js';

/** PEM certificate chain and private key. */
export interface TlsMaterial {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

export interface WebhookServerOptions {
  readonly handler: AuthenticateHandler;
  readonly metrics: WebhookMetrics;
  readonly logger: Logger;
  /** Required: the webhook serves HTTPS only. */
  readonly tls: TlsMaterial | undefined;
  /** Listen address. Default: `127.0.0.1`. */
  readonly host?: string;
  /** Listen port, where 0 picks a free port. Default: 21362, the reference's port. */
  readonly port?: number;
  /** Source details for `/healthz?verbose`. Default: a report without sources. */
  readonly health?: () => HealthReport;
  /** Maximum `/authenticate` body size in bytes. Larger bodies get 413. Default: 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Time for a client to send the request headers, in ms. Default: 60 s, the reference's value. */
  readonly headersTimeoutMs?: number;
  /** Time for a client to send the whole request, in ms. Default: 60 s. */
  readonly requestTimeoutMs?: number;
  /** Time for a client to complete the TLS handshake, in ms. Default: 10 s. */
  readonly handshakeTimeoutMs?: number;
  /** Time an idle keep-alive connection stays open, in ms. Default: 5 s. */
  readonly keepAliveTimeoutMs?: number;
  /** Time `close()` waits for requests in flight before it drops connections, in ms. Default: 10 s. */
  readonly shutdownGraceMs?: number;
}

export interface WebhookServer {
  /** Base URL, e.g. `https://127.0.0.1:21362`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections, lets requests in flight finish, then closes every connection. */
  close(): Promise<void>;
}

const DEFAULT_PORT = 21362;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const AUTHENTICATE_PATH = '/authenticate';

/**
 * Starts the HTTPS webhook. `/authenticate` (exact path) goes to the handler, `/healthz` returns `ok`
 * to any method (with `?verbose`, JSON source details), and `/metrics` returns Prometheus text.
 * Other paths get Go's 404 text. Rejects with WebhookConfigError when the TLS material is missing
 * or invalid, or when the address cannot be bound.
 */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const tls = validateTls(options.tls);
  const host = options.host ?? '127.0.0.1';
  const headersTimeout = options.headersTimeoutMs ?? 60_000;

  const server = createServer({
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['http/1.1'],
    handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
    // Node checks the header and request timeouts on this interval, so it bounds their precision.
    connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.floor(headersTimeout / 4))),
  });
  server.headersTimeout = headersTimeout;
  server.requestTimeout = Math.max(options.requestTimeoutMs ?? 60_000, headersTimeout);
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;

  const sockets = trackSockets(server);
  const router = createRouter(options);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void router(request, response);
  });
  handleConnectionErrors(server, options);

  const port = await listen(server, host, options.port ?? DEFAULT_PORT);
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.logger.info({ url }, 'webhook server listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    close() {
      closing ??= shutDown(server, sockets, options.shutdownGraceMs ?? 10_000).then(() => {
        options.logger.info({ url }, 'webhook server stopped');
      });
      return closing;
    },
  };
}

function validateTls(tls: TlsMaterial | undefined): TlsMaterial {
  if (tls === undefined || tls.cert.length === 0 || tls.key.length === 0) {
    throw new WebhookConfigError(
      'TLS_MISSING',
      'the webhook requires a TLS certificate and key: pass --tls-cert and --tls-key (PEM files)',
    );
  }
  try {
    createSecureContext({ cert: tls.cert, key: tls.key });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebhookConfigError(
      'TLS_INVALID',
      `invalid TLS certificate or key (${reason}): --tls-cert and --tls-key must be PEM files of one key pair`,
    );
  }
  return tls;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new WebhookConfigError('LISTEN_FAILED', `cannot listen on ${host}:${port} (${error.code ?? error.message}): choose another address or port`, {
          host,
          port,
        }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Keeps every raw socket, including those still in the TLS handshake, so close() can end them. */
function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

async function shutDown(server: Server, sockets: Set<Socket>, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();

  const timer = setTimeout(() => {
    server.closeAllConnections();
    for (const socket of sockets) {
      socket.destroy();
    }
  }, graceMs);
  timer.unref();

  await closed;
  clearTimeout(timer);
}

type Router = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

function createRouter(options: WebhookServerOptions): Router {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return async (request, response) => {
    const started = performance.now();
    const requestId = randomUUID();
    const target = splitTarget(request.url ?? '/');
    const client = clientAddress(request.socket);
    const method = request.method ?? '';

    let result: WebhookResponse;
    let failure: unknown;
    try {
      result = await dispatch(options, { request, target, client, requestId, maxBodyBytes });
    } catch (error) {
      failure = error;
      result = error instanceof HttpError ? error.toResponse() : new HttpError(500, 'internal server error').toResponse();
    }

    writeResponse(response, result);
    if (target.path !== AUTHENTICATE_PATH || failure !== undefined) {
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      logRequest(options.logger, { requestId, path: target.path, client, method, status: result.status, durationMs }, failure);
    }
  };
}

interface RequestContext {
  readonly request: IncomingMessage;
  /** The request target split at `?`; `query` is '' without one. */
  readonly target: { readonly path: string; readonly query: string };
  readonly client: string;
  readonly requestId: string;
  readonly maxBodyBytes: number;
}

async function dispatch(options: WebhookServerOptions, context: RequestContext): Promise<WebhookResponse> {
  const { request, target } = context;

  switch (target.path) {
    case AUTHENTICATE_PATH: {
      const method = request.method ?? '';
      // Like Go's server, every request has a body; only POST bodies are read, because the
      // handler rejects other methods before it looks at the body.
      const body = method === 'POST' ? await readBody(request, context.maxBodyBytes) : new Uint8Array(0);
      // `return await` takes fewer microtask turns than returning the promise.
      return await options.handler({ method, path: target.path, body, remoteAddress: context.client, requestId: context.requestId });
    }
    case '/healthz':
      return new URLSearchParams(target.query).has('verbose') ? healthDetails(options) : textResponse('ok');
    case '/metrics':
      return {
        status: 200,
        headers: { 'content-type': options.metrics.registry.contentType },
        body: await options.metrics.registry.metrics(),
      };
    default:
      throw new HttpError(404, '404 page not found');
  }
}

function healthDetails(options: WebhookServerOptions): WebhookResponse {
  const report = options.health?.() ?? { status: 'ok', sources: [] };
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: `${JSON.stringify(report)}\n`,
  };
}

/** `/healthz` writes `ok` without a newline; Go sniffs its content type as plain UTF-8 text. */
function textResponse(body: string): WebhookResponse {
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

function splitTarget(target: string): RequestContext['target'] {
  const queryStart = target.indexOf('?');
  if (queryStart === -1) {
    return { path: target, query: '' };
  }
  return { path: target.slice(0, queryStart), query: target.slice(queryStart + 1) };
}

/**
 * Reads the body up to `limit` bytes. A larger body, declared or streamed, rejects with 413 and
 * `Connection: close`, so the rest of it is never read.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const tooLarge = (): HttpError =>
    new HttpError(413, `request body too large: the limit is ${limit} bytes`, { connection: 'close' });

  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge());
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    // Node emits `end` and `close` once per request, and a settled promise ignores later calls, so
    // `on` does the work of `once` without its wrapper. A body in one chunk needs no copy.
    request.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    request.on('error', reject);
    // `close` also fires after every complete request; build the error only when it matters, since
    // this runs once per request on the hot path.
    request.on('close', () => {
      if (!request.complete) reject(new HttpError(400, 'request body incomplete: the client closed the connection'));
    });
  });
}

/** Time a closing connection keeps reading after the response, so the client sees it before a reset. */
const LINGER_MS = 500;

/**
 * Response headers with `content-length`, by response. The handler returns the same response object
 * for every request that a reused outcome serves, so its headers are built once.
 */
const headersWithLength = new WeakMap<WebhookResponse, Readonly<Record<string, string>>>();

function headersOf(result: WebhookResponse): Readonly<Record<string, string>> {
  let headers = headersWithLength.get(result);
  if (headers === undefined) {
    headers = { ...result.headers, 'content-length': String(Buffer.byteLength(result.body, 'utf8')) };
    headersWithLength.set(result, headers);
  }
  return headers;
}

function writeResponse(response: ServerResponse, result: WebhookResponse): void {
  if (response.destroyed || response.headersSent) {
    return;
  }
  response.writeHead(result.status, headersOf(result));

  // After a 413 the connection closes with the body unread. Closing at once while the client is
  // still sending would reset the connection before the client reads the response.
  if (result.headers['connection'] === 'close') {
    const socket = response.socket;
    response.once('finish', () => {
      socket?.end();
      setTimeout(() => socket?.destroy(), LINGER_MS).unref();
    });
  }
  // A string body lets Node send the header and the body in one buffer.
  response.end(result.body, 'utf8');
}

/** Client `address:port` by socket, so a keep-alive connection builds it once, not per request. */
const clientAddresses = new WeakMap<Socket, string>();

function clientAddress(socket: Socket): string {
  let client = clientAddresses.get(socket);
  if (client === undefined) {
    const address = socket.remoteAddress ?? '';
    client = address.includes(':') ? `[${address}]:${socket.remotePort}` : `${address}:${socket.remotePort}`;
    // A socket that already closed has no address, so it is not remembered.
    if (address !== '') clientAddresses.set(socket, client);
  }
  return client;
}

function logRequest(logger: Logger, fields: Record<string, unknown> & { status: number }, failure: unknown): void {
  if (failure instanceof HttpError) {
    const level = failure.status === 404 ? 'info' : 'warn';
    logger[level]({ ...fields, error: redactSecrets(failure.message) }, 'request rejected');
  } else if (failure !== undefined) {
    const error = redactSecrets(failure instanceof Error ? (failure.stack ?? failure.message) : String(failure));
    logger.error({ ...fields, error }, 'request failed');
  } else {
    logger.debug(fields, 'request served');
  }
}

/**
 * Logs and counts connections that fail before a request: TLS handshake errors (scanners, plain
 * HTTP on the TLS port, timeouts) and HTTP parse errors. Warnings are rate-limited per kind, because
 * a scanner can open thousands of such connections.
 */
function handleConnectionErrors(server: Server, options: WebhookServerOptions): void {
  const warnTls = rateLimitedWarning(options.logger);
  const warnHttp = rateLimitedWarning(options.logger);

  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    options.metrics.clientErrors.inc({ kind: 'tls' });
    warnTls({ client: clientAddress(socket), code: error.code, error: error.message }, 'TLS handshake failed');
    socket.destroy();
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    options.metrics.clientErrors.inc({ kind: 'http' });
    warnHttp({ client: clientAddress(socket), code: error.code, error: error.message }, 'invalid HTTP request');
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(`HTTP/1.1 ${clientErrorStatus(error.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  server.on('error', (error: Error) => {
    options.logger.error({ error: error.message }, 'webhook server error');
  });
}

function clientErrorStatus(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return '431 Request Header Fields Too Large';
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return '408 Request Timeout';
  }
  return '400 Bad Request';
}

/** Logs at most one warning per interval and reports how many were suppressed in between. */
function rateLimitedWarning(logger: Logger, intervalMs = 10_000) {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;

  return (fields: Record<string, unknown>, message: string): void => {
    const now = performance.now();
    if (now - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    logger.warn({ ...fields, suppressed }, message);
    lastAt = now;
    suppressed = 0;
  };
}
