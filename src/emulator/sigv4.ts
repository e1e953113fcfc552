import { timingSafeEqual } from 'node:crypto';
import { PARTITIONS } from '../arn/index.js';
import {
  HEADER_AUTHORIZATION,
  HEADER_HOST,
  HEADER_X_AMZ_DATE,
  HEADER_X_AMZ_SECURITY_TOKEN,
  REQUEST_TIME_WINDOW_MS,
  SIGV4_ALGORITHM,
  SIGV4_TERMINATOR,
  STS_SERVICE,
  X_AMZ_ALGORITHM,
  X_AMZ_CREDENTIAL,
  X_AMZ_DATE,
  X_AMZ_SECURITY_TOKEN,
  X_AMZ_SIGNATURE,
  X_AMZ_SIGNED_HEADERS,
} from './constants.js';
import type { ParameterList } from './encoding.js';
import {
  expiredToken,
  incompleteSignature,
  invalidClientTokenId,
  missingAuthenticationToken,
  signatureDoesNotMatch,
} from './errors.js';
import {
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  computeSignature,
  sha256Hex,
  signingKey,
  stringToSign,
  type CredentialScope,
} from './sigv4-canonical.js';

/** A received HTTP request, as much of it as SigV4 covers. */
export interface SigV4Request {
  readonly method: string;
  /** The path as received, still percent-encoded, without the query. */
  readonly path: string;
  /** Decoded query parameters in received order. */
  readonly query: ParameterList;
  /** Header names and values in received order; names in any case, repeats allowed. */
  readonly headers: ParameterList;
  readonly body: Uint8Array;
}

/** The secret of an access key, as the credential store keeps it. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Set for temporary credentials; the request must then carry exactly this token. */
  readonly sessionToken?: string;
  /** End of validity of temporary credentials. */
  readonly expiration?: Date;
}

/** Finds the credentials of an access key in the partition of the signing region. */
export type CredentialLookup = (accessKeyId: string, region: string) => SigningCredentials | undefined;

export interface VerifyOptions {
  readonly lookup: CredentialLookup;
  readonly now: Date;
  /** Service name the credential scope must carry. Default: `sts`. */
  readonly service?: string;
}

export type SigV4Mode = 'query' | 'header';

/** Facts a valid signature establishes about a request. */
export interface VerifiedSignature {
  readonly mode: SigV4Mode;
  readonly accessKeyId: string;
  readonly region: string;
  readonly signedAt: Date;
  readonly signedHeaders: readonly string[];
}

/** The authentication parameters of a request, parsed but not yet checked. */
interface AuthParameters {
  readonly mode: SigV4Mode;
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
  readonly amzDate: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly sessionToken: string | undefined;
}

const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HEADER_NAME_PATTERN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Verifies an AWS Signature Version 4 request the way STS does, for both query (presigned) and
 * Authorization-header signatures. Throws StsError with the STS code on the first failed check.
 *
 * The payload hash is the SHA-256 of the received body in both modes. A presigned GET therefore
 * uses the hash of the empty string, which is what botocore 1.43 and @smithy/signature-v4 5.7 sign
 * for STS. An X-Amz-Content-Sha256 header is never taken on trust: if it differs from the body's
 * hash (`UNSIGNED-PAYLOAD` included), the signature fails, so a changed body cannot pass.
 */
export function verifySigV4(request: SigV4Request, options: VerifyOptions): VerifiedSignature {
  const auth = parseAuthParameters(request);
  const signedAt = parseAmzDate(auth.amzDate);
  checkScope(auth, options.service ?? STS_SERVICE);
  checkRequiredSignedHeaders(auth);

  const credentials = options.lookup(auth.accessKeyId, auth.scope.region);
  if (credentials === undefined) throw invalidClientTokenId();
  checkSessionToken(credentials, auth.sessionToken);
  if (credentials.expiration !== undefined && options.now.getTime() >= credentials.expiration.getTime()) {
    throw expiredToken();
  }
  checkRequestTime(auth.amzDate, signedAt, options.now);

  const expected = expectedSignature(request, auth, credentials.secretAccessKey);
  if (!constantTimeEqual(expected, auth.signature)) throw signatureDoesNotMatch();

  return {
    mode: auth.mode,
    accessKeyId: auth.accessKeyId,
    region: auth.scope.region,
    signedAt,
    signedHeaders: auth.signedHeaders,
  };
}

function parseAuthParameters(request: SigV4Request): AuthParameters {
  const authorization = headerValues(request.headers, HEADER_AUTHORIZATION);
  const queryAuth = request.query.some(([name]) => name === X_AMZ_ALGORITHM || name === X_AMZ_SIGNATURE);

  if (authorization.length > 0 && queryAuth) {
    throw incompleteSignature(
      `Only one auth mechanism allowed; only the ${X_AMZ_ALGORITHM} query parameter or the Authorization header should be specified`,
    );
  }
  if (queryAuth) return parseQueryAuth(request);
  if (authorization.length > 0) return parseHeaderAuth(request, authorization);
  throw missingAuthenticationToken();
}

function parseQueryAuth(request: SigV4Request): AuthParameters {
  const required = [X_AMZ_ALGORITHM, X_AMZ_CREDENTIAL, X_AMZ_SIGNATURE, X_AMZ_SIGNED_HEADERS, X_AMZ_DATE];
  const values = new Map<string, string>();
  for (const name of [...required, X_AMZ_SECURITY_TOKEN]) {
    const found = request.query.filter(([received]) => received === name);
    if (found.length > 1) throw incompleteSignature(`The query parameter ${name} appears more than once.`);
    const value = found[0]?.[1];
    if (value !== undefined) values.set(name, value);
  }

  if (required.some((name) => values.get(name) === undefined)) {
    throw incompleteSignature(
      `AWS query-string parameters must include ${required.map((name) => `'${name}'`).join(', ')}. ` +
        'Re-examine the query-string parameters.',
    );
  }
  const algorithm = values.get(X_AMZ_ALGORITHM) ?? '';
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'. Use '${SIGV4_ALGORITHM}'.`);
  }

  return {
    mode: 'query',
    ...parseCredential(values.get(X_AMZ_CREDENTIAL) ?? ''),
    amzDate: values.get(X_AMZ_DATE) ?? '',
    signedHeaders: parseSignedHeaders(values.get(X_AMZ_SIGNED_HEADERS) ?? ''),
    signature: values.get(X_AMZ_SIGNATURE) ?? '',
    sessionToken: values.get(X_AMZ_SECURITY_TOKEN),
  };
}

function parseHeaderAuth(request: SigV4Request, authorization: readonly string[]): AuthParameters {
  if (authorization.length > 1) throw incompleteSignature('The request has more than one Authorization header.');
  const header = (authorization[0] ?? '').trim();
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'. Use '${SIGV4_ALGORITHM}'.`);
  }

  const components = parseAuthorizationComponents(space < 0 ? '' : header.slice(space + 1));
  const amzDates = headerValues(request.headers, HEADER_X_AMZ_DATE);
  const problems = ['Credential', 'SignedHeaders', 'Signature']
    .filter((name) => components.get(name) === undefined)
    .map((name) => `Authorization header requires '${name}' parameter.`);
  if (amzDates.length !== 1) problems.push("Authorization header requires exactly one 'X-Amz-Date' header.");
  if (problems.length > 0) throw incompleteSignature(problems.join(' '));

  const sessionTokens = headerValues(request.headers, HEADER_X_AMZ_SECURITY_TOKEN);
  if (sessionTokens.length > 1) throw incompleteSignature('The request has more than one X-Amz-Security-Token header.');

  return {
    mode: 'header',
    ...parseCredential(components.get('Credential') ?? ''),
    amzDate: (amzDates[0] ?? '').trim(),
    signedHeaders: parseSignedHeaders(components.get('SignedHeaders') ?? ''),
    signature: components.get('Signature') ?? '',
    sessionToken: sessionTokens[0]?.trim(),
  };
}

/** Splits `Credential=…, SignedHeaders=…, Signature=…` into its named components. */
function parseAuthorizationComponents(text: string): Map<string, string> {
  const components = new Map<string, string>();
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    const equals = trimmed.indexOf('=');
    if (equals <= 0) {
      throw incompleteSignature(`'${trimmed}' is not a valid key=value pair (missing equal-sign) in Authorization header.`);
    }
    const name = trimmed.slice(0, equals);
    if (components.has(name)) throw incompleteSignature(`Authorization header has '${name}' more than once.`);
    components.set(name, trimmed.slice(equals + 1));
  }
  return components;
}

function parseCredential(credential: string): { accessKeyId: string; scope: CredentialScope } {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, scope: { date, region, service, terminator } };
}

function parseSignedHeaders(text: string): string[] {
  const names = text.split(';');
  const invalid = names.find((name) => !HEADER_NAME_PATTERN.test(name));
  if (invalid !== undefined) {
    throw incompleteSignature(`SignedHeaders contains an invalid header name: '${invalid}'. Names must be lower case.`);
  }
  return [...new Set(names)].sort();
}

/** Parses an ISO 8601 basic-format UTC time (`20150830T123600Z`), rejecting impossible dates. */
export function parseAmzDate(amzDate: string): Date {
  const match = AMZ_DATE_PATTERN.exec(amzDate);
  const invalid = (): never => {
    throw incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  };
  if (match === null) return invalid();

  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number, number, number, number, number, number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return roundTrips ? date : invalid();
}

/** Formats a time as X-Amz-Date does (`20150830T123600Z`). */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function checkScope(auth: AuthParameters, service: string): void {
  const { scope, amzDate } = auth;
  const day = amzDate.slice(0, 8);

  if (scope.date !== day) {
    throw signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${day}', from '${amzDate}'.`,
    );
  }
  if (!PARTITIONS.some((partition) => partition.regionRegex.test(scope.region))) {
    throw signatureDoesNotMatch(`Credential should be scoped to a valid region, not '${scope.region}'.`);
  }
  if (scope.service !== service) {
    throw signatureDoesNotMatch(`Credential should be scoped to correct service: '${service}'.`);
  }
  if (scope.terminator !== SIGV4_TERMINATOR) {
    throw signatureDoesNotMatch(
      `Credential should be scoped with a valid terminator: '${SIGV4_TERMINATOR}', not '${scope.terminator}'.`,
    );
  }
}

/** SigV4 requires the host to be signed, and a header signature must also cover its X-Amz-Date. */
function checkRequiredSignedHeaders(auth: AuthParameters): void {
  if (!auth.signedHeaders.includes(HEADER_HOST)) {
    throw incompleteSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (auth.mode === 'header' && !auth.signedHeaders.includes(HEADER_X_AMZ_DATE)) {
    throw incompleteSignature("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  }
}

/**
 * Temporary credentials are valid only with their own session token, and long-term keys only
 * without one. STS returns InvalidClientTokenId in both cases.
 */
function checkSessionToken(credentials: SigningCredentials, received: string | undefined): void {
  const expected = credentials.sessionToken;
  if (expected === undefined && received === undefined) return;
  if (expected === undefined || received === undefined || !constantTimeEqual(expected, received)) {
    throw invalidClientTokenId();
  }
}

/**
 * Applies the fixed 15-minute window around the server clock. The boundary itself is valid:
 * a request signed exactly 15 minutes ago passes.
 */
function checkRequestTime(amzDate: string, signedAt: Date, now: Date): void {
  const earliest = new Date(now.getTime() - REQUEST_TIME_WINDOW_MS);
  const latest = new Date(now.getTime() + REQUEST_TIME_WINDOW_MS);
  if (signedAt < earliest) {
    throw signatureDoesNotMatch(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(earliest)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (signedAt > latest) {
    throw signatureDoesNotMatch(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(latest)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
}

function expectedSignature(request: SigV4Request, auth: AuthParameters, secretAccessKey: string): string {
  const headers = canonicalHeaders(request.headers, auth.signedHeaders);
  if (headers.missing.length > 0) throw signatureDoesNotMatch();

  const query = auth.mode === 'query' ? request.query.filter(([name]) => name !== X_AMZ_SIGNATURE) : request.query;
  const canonical = canonicalRequest({
    method: request.method,
    canonicalUri: canonicalUri(request.path),
    canonicalQuery: canonicalQuery(query),
    canonicalHeaders: headers.block,
    signedHeaders: auth.signedHeaders.join(';'),
    payloadHash: sha256Hex(request.body),
  });
  return computeSignature(signingKey(secretAccessKey, auth.scope), stringToSign(auth.amzDate, auth.scope, canonical));
}

function headerValues(headers: ParameterList, lowerCaseName: string): string[] {
  return headers.filter(([name]) => name.toLowerCase() === lowerCaseName).map(([, value]) => value);
}

/** Compares two strings in time independent of where they differ. */
function constantTimeEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
