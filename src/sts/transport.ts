/**
 * The HTTP GET that replays a token's presigned URL to STS. The verifier depends only on the
 * StsTransport interface, so tests and the webhook can inject their own.
 */
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { KubeiamError } from '../errors.js';

export interface StsRequest {
  /** The STS host the token names; sent as the Host header (it is a signed header). */
  readonly host: string;
  /** Path and query to request, as a byte string (one character per byte). */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Whole-request time limit, body included, in milliseconds. */
  readonly timeoutMs: number;
}

export interface StsResponse {
  readonly statusCode: number;
  /** Reads the whole body; rejects when it exceeds `maxBytes` or the connection fails. */
  readBody(maxBytes: number): Promise<Uint8Array>;
}

export interface StsTransport {
  /** Sends the GET; rejects on connection failure or timeout. Redirects must not be followed. */
  get(request: StsRequest): Promise<StsResponse>;
}

export interface HttpsTransportOptions {
  /**
   * Base URL of a local STS (`http://127.0.0.1:4566`, `https://localhost:8443`) to connect to
   * instead of the token's host; only loopback addresses are allowed. Default: the token's host.
   */
  readonly override?: string;
  /** Extra trusted CA certificates (PEM) for an https override. Default: Node's bundled CAs. */
  readonly ca?: string | Buffer;
}

interface Target {
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: number;
}

/** Creates the default transport: Node's https client (or http for a loopback override), no redirects. */
export function createHttpsTransport(options: HttpsTransportOptions = {}): StsTransport {
  const override = options.override === undefined ? undefined : parseOverride(options.override);
  // Keep-alive connections: a webhook replays every uncached token to STS, and a new TCP (and TLS)
  // connection per review cost more than the request itself. Idle sockets close after 30 s.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: MAX_STS_SOCKETS, timeout: IDLE_SOCKET_MS }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: MAX_STS_SOCKETS, timeout: IDLE_SOCKET_MS }),
  };
  return {
    get(request) {
      const target = override ?? { protocol: 'https:', hostname: request.host, port: 443 };
      return send(target, request, options.ca, agents[target.protocol]);
    },
  };
}

/** Concurrent connections per STS host; more requests wait for a free one. */
const MAX_STS_SOCKETS = 64;
const IDLE_SOCKET_MS = 30 * 1000;

const LOOPBACK_NAMES = new Set(['localhost', '::1']);

/** Validates an override URL; it is configuration, not a token, so the WHATWG parser is fine. */
export function parseOverride(text: string): Target {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw overrideError(text, 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw overrideError(text, 'the scheme must be http or https');
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || url.pathname !== '/') {
    throw overrideError(text, 'only scheme, host and port are allowed');
  }

  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback = LOOPBACK_NAMES.has(hostname) || (isIP(hostname) === 4 && hostname.startsWith('127.'));
  if (!loopback) throw overrideError(text, 'the host must be a loopback address (127.0.0.0/8, ::1 or localhost)');
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  return { protocol: url.protocol, hostname, port: url.port === '' ? defaultPort : Number(url.port) };
}

function overrideError(text: string, reason: string): KubeiamError {
  return new KubeiamError('STS_OVERRIDE_INVALID', `invalid STS override ${JSON.stringify(text)}: ${reason}`, {
    override: text,
  });
}

function send(target: Target, request: StsRequest, ca: string | Buffer | undefined, agent: http.Agent): Promise<StsResponse> {
  const options: RequestOptions & https.RequestOptions = {
    method: 'GET',
    hostname: target.hostname,
    port: target.port,
    path: request.target,
    headers: { ...request.headers, host: request.host },
    agent,
  };
  if (target.protocol === 'https:') {
    if (ca !== undefined) options.ca = ca;
    // SNI carries a name, never an address.
    if (isIP(target.hostname) === 0) options.servername = target.hostname;
  }

  return new Promise((resolve, reject) => {
    const deadline = new Deadline(request.timeoutMs);
    const describe = `Get "${target.protocol}//${request.host}/"`;
    const client = target.protocol === 'https:' ? https : http;
    let outgoing: ClientRequest;
    try {
      outgoing = client.request(options, (incoming) => {
        resolve(new NodeStsResponse(incoming, deadline));
      });
    } catch (error) {
      deadline.clear();
      reject(new Error(`${describe}: ${errorText(error)}`));
      return;
    }
    deadline.onExpiry(() => outgoing.destroy(new Error(`timed out after ${request.timeoutMs} ms`)));
    outgoing.on('error', (error) => {
      deadline.clear();
      reject(new Error(`${describe}: ${errorText(error)}`));
    });
    outgoing.end();
  });
}

/** A timer shared by the request and its body, so the limit covers the whole exchange. */
class Deadline {
  readonly #timer: NodeJS.Timeout;
  #handler: () => void = () => undefined;

  constructor(timeoutMs: number) {
    this.#timer = setTimeout(() => this.#handler(), timeoutMs);
    this.#timer.unref();
  }

  onExpiry(handler: () => void): void {
    this.#handler = handler;
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}

class NodeStsResponse implements StsResponse {
  readonly statusCode: number;
  readonly #incoming: IncomingMessage;
  readonly #deadline: Deadline;

  constructor(incoming: IncomingMessage, deadline: Deadline) {
    this.statusCode = incoming.statusCode ?? 0;
    this.#incoming = incoming;
    this.#deadline = deadline;
  }

  readBody(maxBytes: number): Promise<Uint8Array> {
    const incoming = this.#incoming;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      this.#deadline.onExpiry(() => incoming.destroy(new Error('timed out reading the response body')));
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) incoming.destroy(new Error(`response body exceeds ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      incoming.on('error', (error) => {
        this.#deadline.clear();
        reject(new Error(errorText(error)));
      });
      incoming.on('end', () => {
        this.#deadline.clear();
        resolve(Buffer.concat(chunks));
      });
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
