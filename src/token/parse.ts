/**
 * The verifier's checks before STS is called, in aws-iam-authenticator 0.7.18's order and with its
 * messages: size, prefix, base64url, URL, scheme, host allow-list, path, query, action, signed
 * headers, X-Amz-Expires, X-Amz-Date and expiry. The first failing check wins.
 */
import { decodeRawUrlBase64 } from './base64.js';
import {
  ACTION_GET_CALLER_IDENTITY,
  ALLOWED_QUERY_KEYS,
  CLUSTER_ID_HEADER,
  MAX_TOKEN_BYTES,
  MAX_X_AMZ_EXPIRES_SECONDS,
  TOKEN_PREFIX,
  TOKEN_URL_PATH,
  TOKEN_URL_SCHEME,
  TOKEN_VALIDITY_MS,
  X_AMZ_DATE_LAYOUT,
} from './constants.js';
import { getStsRegion } from './endpoints.js';
import { formatError } from './errors.js';
import { bytesToRaw, goAtoi, goQuote, goToLower, rawToText } from './goText.js';
import { formatGoUtc, GoTimeError, parseAmzDate, type AmzDate } from './goTime.js';
import { GoQueryError, GoUrlError, parseGoQuery, parseGoUrl, type GoUrl } from './goUrl.js';
import { verifyStsHost, type HostCache } from './hostAllowList.js';

export interface ParseTokenOptions {
  /** The server's partition ID. */
  readonly partition: string;
  /** The server's own region; '' when unknown. */
  readonly region: string;
  /** Current time, compared with X-Amz-Date. */
  readonly now: Date;
  /** Accepted-host cache of the verifier. Default: none. */
  readonly hostCache?: HostCache;
}

/** A token that passed every check that does not need STS. */
export interface ParsedToken {
  /** The STS host the URL names, exactly as written (it passed the allow-list). */
  readonly host: string;
  /** `global` or the region label of the host, for metrics and messages. */
  readonly stsRegion: string;
  /** The query as received, as a byte string (one character per byte). */
  readonly rawQuery: string;
  /** Path and query to request, as a byte string: the path as written, `?`, the raw query. */
  readonly requestTarget: string;
  /** Access key ID: X-Amz-Credential up to its first `/`; may be ''. */
  readonly accessKeyId: string;
  readonly date: AmzDate;
  /** Query parameters by lower-cased key. */
  readonly query: ReadonlyMap<string, string>;
}

/** Runs the pre-STS checks; throws a TokenError with the reference's message on the first failure. */
export function parseToken(token: string, options: ParseTokenOptions): ParsedToken {
  const url = decodeTokenUrl(token);
  if (url.scheme !== TOKEN_URL_SCHEME) {
    throw formatError(`unexpected scheme ${goQuote(url.scheme)} in pre-signed URL`);
  }

  const host = rawToText(url.host);
  verifyStsHost(host, { partition: options.partition, region: options.region, cache: options.hostCache }, url.host);
  const stsRegion = getStsRegion(host);
  if (url.path !== TOKEN_URL_PATH) throw formatError('unexpected path in pre-signed URL');

  const { query, raw } = parseQueryParameters(url.rawQuery);
  checkQuery(query);
  const { accessKeyId, date } = checkDate(query, raw, options.now);
  const requestTarget = `${url.rawPath}?${url.rawQuery}`;
  return { host, stsRegion, rawQuery: url.rawQuery, requestTarget, accessKeyId, date, query };
}

/** Checks size and prefix, decodes the base64url body and parses the URL inside. */
function decodeTokenUrl(token: string): GoUrl {
  if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_BYTES) throw formatError('token is too large');
  if (!token.startsWith(TOKEN_PREFIX)) {
    throw formatError(`token is missing expected ${goQuote(TOKEN_PREFIX)} prefix`);
  }

  const decoded = decodeRawUrlBase64(Buffer.from(token.slice(TOKEN_PREFIX.length), 'utf8'));
  if (!decoded.ok) throw formatError(`illegal base64 data at input byte ${decoded.offset}`);
  try {
    return parseGoUrl(bytesToRaw(decoded.bytes));
  } catch (error) {
    if (!(error instanceof GoUrlError)) throw error;
    throw formatError(`parse ${goQuote(redactQuery(error.url))}: ${error.reason}`);
  }
}

/**
 * Cuts the query out of a URL quoted in a message, because it contains the signature and any session
 * token, which must not reach logs. Go prints the whole URL here.
 */
function redactQuery(url: string): string {
  // A corrupted token may carry its query after `#` instead of `?`; cut at whichever comes first.
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : `${url.slice(0, cut)}${url[cut] ?? '?'}REDACTED`;
}

/**
 * Parses the query and applies the key checks: no two keys equal ignoring case, every key allowed,
 * one value per key. Go visits keys in random map order, but here keys are visited in order of first
 * appearance, so when several keys fail, the first of them is reported.
 */
function parseQueryParameters(rawQuery: string): { query: Map<string, string>; raw: Map<string, string> } {
  let parameters;
  try {
    parameters = parseGoQuery(rawQuery);
  } catch (error) {
    if (!(error instanceof GoQueryError)) throw error;
    throw formatError('malformed query parameter');
  }

  const seen = new Set<string>();
  for (const { key } of parameters) {
    const lower = goToLower(rawToText(key));
    if (seen.has(lower)) throw formatError(`duplicate query parameter found: ${goQuote(key)}`);
    seen.add(lower);
  }

  const query = new Map<string, string>();
  const raw = new Map<string, string>();
  for (const { key, values } of parameters) {
    const lower = goToLower(rawToText(key));
    if (!ALLOWED_QUERY_KEYS.has(lower)) throw formatError(`non-whitelisted query parameter ${goQuote(key)}`);
    if (values.length !== 1) throw formatError('query parameter with multiple values not supported');
    raw.set(lower, values[0] ?? '');
    query.set(lower, rawToText(values[0] ?? ''));
  }
  return { query, raw };
}

function checkQuery(query: ReadonlyMap<string, string>): void {
  if (query.get('action') !== ACTION_GET_CALLER_IDENTITY) {
    throw formatError('unexpected action parameter in pre-signed URL');
  }

  const signedHeaders = (query.get('x-amz-signedheaders') ?? '').split(';');
  if (!signedHeaders.some((header) => goToLower(header) === CLUSTER_ID_HEADER)) {
    throw formatError(`client did not sign the ${CLUSTER_ID_HEADER} header in the pre-signed URL`);
  }

  // Missing or unparsable counts as invalid and prints Go's value: 0, or the clamped bound.
  const expires = goAtoi(query.get('x-amz-expires') ?? '');
  if (!expires.ok || expires.value < 0n || expires.value > BigInt(MAX_X_AMZ_EXPIRES_SECONDS)) {
    throw formatError(`invalid X-Amz-Expires parameter in pre-signed URL: ${expires.value}`);
  }
}

/** Checks X-Amz-Date: present, in the layout, and at most 15 minutes old (a future date passes). */
function checkDate(query: ReadonlyMap<string, string>, raw: ReadonlyMap<string, string>, now: Date): { accessKeyId: string; date: AmzDate } {
  const dateText = query.get('x-amz-date') ?? '';
  if (dateText === '') throw formatError('X-Amz-Date parameter must be present in pre-signed URL');
  const accessKeyId = (query.get('x-amz-credential') ?? '').split('/')[0] ?? '';

  let date: AmzDate;
  try {
    // Go parses the bytes, so an invalid UTF-8 byte is quoted as `\xff` rather than as U+FFFD.
    date = parseAmzDate(raw.get('x-amz-date') ?? '');
  } catch (error) {
    if (!(error instanceof GoTimeError)) throw error;
    throw formatError(`error parsing X-Amz-Date parameter ${dateText} into format ${X_AMZ_DATE_LAYOUT}: ${error.message}`);
  }

  // The clock has millisecond precision, so comparing whole milliseconds is exact here.
  if (now.getTime() > date.epochMs + TOKEN_VALIDITY_MS) {
    throw formatError(`X-Amz-Date parameter is expired (15 minute expiration) ${formatGoUtc(date)}`);
  }
  return { accessKeyId, date };
}
