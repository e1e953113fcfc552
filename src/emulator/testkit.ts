/**
 * Test helpers: sign requests with @smithy/signature-v4, an AWS SigV4 implementation independent of
 * the verifier, and send them to an emulator. Not exported from the package; only tests import it.
 */
import { request as httpRequest } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseFormEncoded, sigv4Encode } from './encoding.js';
import type { SigV4Request } from './sigv4.js';

export interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface UnsignedRequest {
  readonly method?: string;
  readonly host: string;
  readonly path?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface SignOptions {
  readonly credentials: TestCredentials;
  readonly region: string;
  readonly date: Date;
  readonly service?: string;
  /** Presign (query auth) instead of an Authorization header. */
  readonly presign?: boolean;
}

/** A signed request in wire form: the target keeps the query exactly as a client sends it. */
export interface WireRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: Array<[string, string]>;
  readonly body: string;
}

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

/** Signs a request with @smithy/signature-v4 and serializes it like an HTTP client. */
export async function signWithSmithy(unsigned: UnsignedRequest, options: SignOptions): Promise<WireRequest> {
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service ?? 'sts',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = {
    method: unsigned.method ?? 'GET',
    protocol: 'https:',
    hostname: unsigned.host,
    path: unsigned.path ?? '/',
    query: { ...unsigned.query },
    headers: { host: unsigned.host, ...unsigned.headers },
    ...(unsigned.body === undefined ? {} : { body: unsigned.body }),
  };
  const signed = options.presign
    ? await signer.presign(request, { signingDate: options.date, expiresIn: 60 })
    : await signer.sign(request, { signingDate: options.date });

  const query = Object.entries(signed.query ?? {})
    .map(([name, value]) => `${sigv4Encode(name)}=${sigv4Encode(String(value))}`)
    .join('&');
  return {
    method: signed.method,
    target: query === '' ? signed.path : `${signed.path}?${query}`,
    headers: Object.entries(signed.headers).map(([name, value]) => [name, String(value)]),
    body: unsigned.body ?? '',
  };
}

/** Converts a wire request into the verifier's input, decoding the query as the server does. */
export function toSigV4Request(wire: WireRequest): SigV4Request {
  const question = wire.target.indexOf('?');
  const path = question < 0 ? wire.target : wire.target.slice(0, question);
  const rawQuery = question < 0 ? '' : wire.target.slice(question + 1);
  return {
    method: wire.method,
    path,
    query: parseFormEncoded(rawQuery),
    headers: wire.headers,
    body: Buffer.from(wire.body, 'utf8'),
  };
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * Sends a wire request to a loopback emulator. The Host header is sent as signed, not as the
 * address connected to, which is how a verifier reaches STS through the emulator.
 */
export function sendWire(baseUrl: string, wire: WireRequest): Promise<WireResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: wire.method,
        path: wire.target,
        headers: Object.fromEntries(wire.headers.map(([name, value]) => [name, value])),
        setHost: false,
        timeout: 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`request to ${baseUrl} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(wire.body);
  });
}

/** Returns a copy of a wire request with one header replaced, added or (value undefined) removed. */
export function withHeader(wire: WireRequest, name: string, value: string | undefined): WireRequest {
  const headers = wire.headers.filter(([existing]) => existing.toLowerCase() !== name.toLowerCase());
  if (value !== undefined) headers.push([name, value]);
  return { ...wire, headers };
}
