import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { BlockList, isIPv6, type AddressInfo } from 'node:net';
import { KubeiamError } from '../errors.js';
import { MAX_REQUEST_BODY_BYTES, REQUEST_LOG_SIZE } from './constants.js';
import type { ParameterList } from './encoding.js';
import { StsError } from './errors.js';
import { renderFault, validateFaults, type EmulatorFaults } from './faults.js';
import { clusterIdOf, handleStsRequest } from './handler.js';
import { cryptoRandomBytes, randomRequestId, type RandomBytes } from './ids.js';
import type { IamRegistry } from './registry.js';
import { renderError, responseFormat, type RenderedResponse, type ResponseFormat } from './responses.js';

export interface StsEmulatorOptions {
  readonly registry: IamRegistry;
  /** Time used for signature windows and credential expiry. Default: the system clock. */
  readonly clock?: () => Date;
  /** Loopback address to listen on; any other address is rejected. Default: 127.0.0.1. */
  readonly host?: string;
  /** TCP port; 0 lets the system pick a free one. Default: 0. */
  readonly port?: number;
  /** PEM key and certificate to serve HTTPS. Default: plain HTTP. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Largest request body accepted, in bytes; larger ones get 413. Default: 64 KiB. */
  readonly maxBodyBytes?: number;
  /** Source of request ids. Default: node:crypto randomBytes. */
  readonly random?: RandomBytes;
  /** Receives the log record of every request, for example to write it to a log. */
  readonly onRequest?: (record: RequestRecord) => void;
  /** Receives errors the emulator did not expect; the client then gets 500 InternalFailure. */
  readonly onError?: (error: unknown) => void;
}

/** The log entry of a request. It contains no signature, session token or secret. */
export interface RequestRecord {
  readonly time: Date;
  readonly requestId: string;
  readonly method: string;
  /** Path without the query, because the query of a presigned request is a credential. */
  readonly path: string;
  readonly host: string | undefined;
  /** The `x-k8s-aws-id` header a token verifier sent. */
  readonly clusterId: string | undefined;
  readonly action: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly status: number;
  readonly errorCode: string | undefined;
}

export interface RequestLog {
  /** Requests received since start. */
  readonly count: number;
  /** The most recent records, oldest first, at most 1000. */
  readonly log: readonly RequestRecord[];
}

export interface StsEmulator {
  /** Base URL, for example `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly requests: RequestLog;
  /** Delays and failures applied to the next requests. Assign `{}` to serve normally again. */
  faults: EmulatorFaults;
  close(): Promise<void>;
}

interface ServerState {
  readonly options: StsEmulatorOptions;
  readonly clock: () => Date;
  readonly random: RandomBytes;
  readonly maxBodyBytes: number;
  readonly log: RequestRecord[];
  readonly timers: Set<NodeJS.Timeout>;
  count: number;
  faults: EmulatorFaults;
  faultsRemaining: number;
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Reports whether a listen address is a loopback address (or `localhost`). */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIPv6(host) ? 'ipv6' : 'ipv4';
  try {
    return loopback.check(host, family);
  } catch {
    return false;
  }
}

/**
 * Starts the STS emulator on a loopback address. It serves GetCallerIdentity (presigned GET or
 * header-signed POST) and AssumeRole (header-signed POST) for the identities of the registry.
 */
export async function startStsEmulator(options: StsEmulatorOptions): Promise<StsEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new KubeiamError(
      'EMULATOR_NOT_LOOPBACK',
      `the STS emulator listens only on loopback addresses; ${host} is not one. Use 127.0.0.1 or ::1.`,
      { host },
    );
  }

  const state: ServerState = {
    options,
    clock: options.clock ?? (() => new Date()),
    random: options.random ?? cryptoRandomBytes,
    maxBodyBytes: options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES,
    log: [],
    timers: new Set(),
    count: 0,
    faults: {},
    faultsRemaining: Number.POSITIVE_INFINITY,
  };
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    serve(state, request, response).catch((error: unknown) => failUnexpectedly(state, response, error));
  };
  const server = options.tls === undefined ? createHttpServer(listener) : createHttpsServer(options.tls, listener);

  const port = await listen(server, host, options.port ?? 0);
  const scheme = options.tls === undefined ? 'http' : 'https';
  const urlHost = isIPv6(host) ? `[${host}]` : host;
  return createHandle(state, server, `${scheme}://${urlHost}:${port}`, port);
}

function createHandle(state: ServerState, server: Server, url: string, port: number): StsEmulator {
  return {
    url,
    port,
    get requests(): RequestLog {
      return { count: state.count, log: [...state.log] };
    },
    get faults(): EmulatorFaults {
      return state.faults;
    },
    set faults(faults: EmulatorFaults) {
      validateFaults(faults);
      state.faults = { ...faults };
      state.faultsRemaining = faults.times ?? Number.POSITIVE_INFINITY;
    },
    close: () => close(state, server),
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(state: ServerState, server: Server): Promise<void> {
  for (const timer of state.timers) clearTimeout(timer);
  state.timers.clear();
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
  });
}

async function serve(state: ServerState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  state.count += 1;
  const requestId = randomRequestId(state.random);
  const headers = headerPairs(request.rawHeaders);
  const format = responseFormat(request.headers.accept);
  const body = await readBody(request, state.maxBodyBytes);

  await delay(state, state.faults.delayMs ?? 0);
  const base = baseRecord(state, request, headers, requestId);

  if (body === undefined) {
    const tooLarge = new StsError('RequestEntityTooLarge', 413, `The request body exceeds ${state.maxBodyBytes} bytes.`);
    response.setHeader('connection', 'close');
    send(response, renderError(tooLarge, requestId, format), requestId);
    record(state, { ...base, status: 413, errorCode: tooLarge.code });
    return;
  }
  if (sendFault(state, response, requestId, format, base)) return;

  const outcome = handleStsRequest(
    { method: base.method, target: request.url ?? '/', headers, body },
    { registry: state.options.registry, now: state.clock(), requestId },
  );
  send(response, outcome.response, requestId);
  record(state, {
    ...base,
    path: outcome.path,
    action: outcome.action,
    accessKeyId: outcome.accessKeyId,
    status: outcome.response.status,
    errorCode: outcome.errorCode,
  });
}

/** Sends the configured fault in place of the real response, while its count lasts. */
function sendFault(
  state: ServerState,
  response: ServerResponse,
  requestId: string,
  format: ResponseFormat,
  base: Omit<RequestRecord, 'status' | 'errorCode'>,
): boolean {
  const fault = state.faults.fault;
  if (fault === undefined || state.faultsRemaining <= 0) return false;

  state.faultsRemaining -= 1;
  const rendered = renderFault(fault, requestId, format);
  if (rendered.location !== undefined) response.setHeader('location', rendered.location);
  send(response, rendered, requestId);
  record(state, { ...base, status: rendered.status, errorCode: rendered.errorCode });
  return true;
}

function baseRecord(
  state: ServerState,
  request: IncomingMessage,
  headers: ParameterList,
  requestId: string,
): Omit<RequestRecord, 'status' | 'errorCode'> {
  const target = request.url ?? '/';
  const question = target.indexOf('?');
  return {
    time: state.clock(),
    requestId,
    method: request.method ?? 'GET',
    path: question < 0 ? target : target.slice(0, question),
    host: request.headers.host,
    clusterId: clusterIdOf(headers),
    action: undefined,
    accessKeyId: undefined,
  };
}

function record(state: ServerState, entry: RequestRecord): void {
  state.log.push(entry);
  if (state.log.length > REQUEST_LOG_SIZE) state.log.shift();
  state.options.onRequest?.(entry);
}

function send(response: ServerResponse, rendered: RenderedResponse, requestId: string): void {
  response.statusCode = rendered.status;
  response.setHeader('content-type', rendered.contentType);
  response.setHeader('x-amzn-requestid', requestId);
  response.end(rendered.body);
}

/** Node's rawHeaders alternate names and values; SigV4 needs every value in received order. */
function headerPairs(rawHeaders: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    pairs.push([rawHeaders[index] ?? '', rawHeaders[index + 1] ?? '']);
  }
  return pairs;
}

/**
 * Reads the body, or returns undefined as soon as it exceeds the limit (declared or received). An
 * oversized body is left unread and paused, and the 413 response closes the connection.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.resolve(undefined);

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.pause();
      resolve(undefined);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

function delay(state: ServerState, milliseconds: number): Promise<void> {
  if (milliseconds <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      state.timers.delete(timer);
      resolve();
    }, milliseconds);
    state.timers.add(timer);
  });
}

function failUnexpectedly(state: ServerState, response: ServerResponse, error: unknown): void {
  state.options.onError?.(error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const requestId = randomRequestId(state.random);
  const failure = new StsError('InternalFailure', 500, 'An internal error has occurred', 'Receiver');
  send(response, renderError(failure, requestId, 'xml'), requestId);
}
