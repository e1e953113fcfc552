import { createHash, createHmac } from 'node:crypto';
import { SIGV4_ALGORITHM, SIGV4_TERMINATOR } from './constants.js';
import { sigv4Encode, type ParameterList } from './encoding.js';

/** The six lines of a SigV4 canonical request, each already in canonical form. */
export interface CanonicalRequestParts {
  readonly method: string;
  readonly canonicalUri: string;
  readonly canonicalQuery: string;
  readonly canonicalHeaders: string;
  readonly signedHeaders: string;
  readonly payloadHash: string;
}

/** The date, region, service and terminator that scope a signing key. */
export interface CredentialScope {
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Builds the canonical URI of a path as received (still percent-encoded): dot segments and empty
 * segments are removed, then every byte is encoded again except `/`. Encoding the encoded path a
 * second time is the rule for every service except S3.
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      segments.pop();
    } else {
      segments.push(segment);
    }
  }

  const trailingSlash = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `/${segments.join('/')}${trailingSlash}`;
  return sigv4Encode(normalized).replace(/%2F/g, '/');
}

/** Encodes every pair with the SigV4 rules and sorts by name, then by value (byte order). */
export function canonicalQuery(parameters: ParameterList): string {
  const encoded = parameters.map(([name, value]) => [sigv4Encode(name), sigv4Encode(value)] as const);
  encoded.sort(([nameA, valueA], [nameB, valueB]) => compareStrings(nameA, nameB) || compareStrings(valueA, valueB));
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Builds the canonical value of one header from all its received values: each is trimmed, runs of
 * whitespace collapse to one space, and the values are joined with commas in received order.
 */
export function canonicalHeaderValue(values: readonly string[]): string {
  return values.map((value) => value.trim().replace(/\s+/g, ' ')).join(',');
}

/**
 * Builds the canonical headers block for the signed header names (lower case, sorted). Returns the
 * names that the request lacks in `missing`, because a signature over an absent header cannot verify.
 */
export function canonicalHeaders(
  headers: ParameterList,
  signedNames: readonly string[],
): { block: string; missing: string[] } {
  const lines: string[] = [];
  const missing: string[] = [];

  for (const name of signedNames) {
    const values = headers.filter(([received]) => received.toLowerCase() === name).map(([, value]) => value);
    if (values.length === 0) missing.push(name);
    lines.push(`${name}:${canonicalHeaderValue(values)}\n`);
  }
  return { block: lines.join(''), missing };
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQuery,
    parts.canonicalHeaders,
    parts.signedHeaders,
    parts.payloadHash,
  ].join('\n');
}

export function formatScope(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
}

export function stringToSign(amzDate: string, scope: CredentialScope, request: string): string {
  return [SIGV4_ALGORITHM, amzDate, formatScope(scope), sha256Hex(request)].join('\n');
}

/** Derives the signing key: HMAC chain over `AWS4`+secret, date, region, service, `aws4_request`. */
export function signingKey(secretAccessKey: string, scope: Omit<CredentialScope, 'terminator'>): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, scope.date);
  const regionKey = hmac(dateKey, scope.region);
  const serviceKey = hmac(regionKey, scope.service);
  return hmac(serviceKey, SIGV4_TERMINATOR);
}

/** Computes the lower-case hex signature of a string to sign. */
export function computeSignature(key: Buffer, toSign: string): string {
  return hmac(key, toSign).toString('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
