/**
 * The part of Go's `net/url` (Go 1.26) the verifier relies on: `url.Parse` and `url.ParseQuery`.
 * The WHATWG parser behind `new URL()` lower-cases and IDNA-encodes hosts, drops default ports and
 * normalises paths, so it would accept hosts Go keeps byte-for-byte and rejects. All inputs and
 * outputs here are byte strings (see goText.ts).
 */
import { goQuote } from './goText.js';

/** A parsed URL; every field is a byte string. */
export interface GoUrl {
  /** Lower-cased scheme, '' when absent. */
  readonly scheme: string;
  /** Set for `scheme:rest` without `//` or `/` (the whole rest before `?`). */
  readonly opaque: string;
  /** Host with any port, exactly as written (percent-escapes of non-ASCII bytes decoded). */
  readonly host: string;
  /** Percent-decoded path. */
  readonly path: string;
  /** Path as written; Go sends it as is when it decodes to `path`. */
  readonly rawPath: string;
  /** Query without `?`, as received. */
  readonly rawQuery: string;
  readonly fragment: string;
}

export class GoUrlError extends Error {
  /** The reason without the `parse "<url>": ` wrapper. */
  readonly reason: string;
  /** The URL text Go names in the message ('' for an inner error not yet wrapped). */
  readonly url: string;

  constructor(reason: string, url = '') {
    super(url === '' ? reason : `parse ${goQuote(url)}: ${reason}`);
    this.name = 'GoUrlError';
    this.reason = reason;
    this.url = url;
  }
}

/** Parses like Go's `url.Parse`; failures carry Go's text, `parse "<url>": <reason>`. */
export function parseGoUrl(raw: string): GoUrl {
  const hash = raw.indexOf('#');
  const beforeFragment = hash < 0 ? raw : raw.slice(0, hash);
  const parsed = wrapErrors(beforeFragment, () => parseWithoutFragment(beforeFragment));
  if (hash < 0) return parsed;

  const fragment = wrapErrors(raw, () => unescape(raw.slice(hash + 1), 'fragment'));
  return { ...parsed, fragment };
}

function wrapErrors<T>(url: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof GoUrlError) throw new GoUrlError(error.reason, url);
    throw error;
  }
}

// Go rejects ASCII control bytes (below space, and DEL) anywhere in the URL.
const CONTROL_BYTE = /[\x00-\x1f\x7f]/;

function parseWithoutFragment(raw: string): GoUrl {
  if (CONTROL_BYTE.test(raw)) throw new GoUrlError('net/url: invalid control character in URL');
  const empty = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '', fragment: '' };
  if (raw === '*') return { ...empty, path: '*' };

  const { scheme, rest: afterScheme } = splitScheme(raw);
  let rest = afterScheme;
  let rawQuery = '';
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else {
    const question = rest.indexOf('?');
    if (question >= 0) {
      rawQuery = rest.slice(question + 1);
      rest = rest.slice(0, question);
    }
  }

  if (!rest.startsWith('/')) {
    if (scheme !== '') return { ...empty, scheme, opaque: rest, rawQuery };
    const firstSegment = rest.split('/', 1)[0] ?? '';
    if (firstSegment.includes(':')) {
      throw new GoUrlError('first path segment in URL cannot contain colon');
    }
  }

  let host = '';
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const authorityAndPath = rest.slice(2);
    const slash = authorityAndPath.indexOf('/');
    const authority = slash < 0 ? authorityAndPath : authorityAndPath.slice(0, slash);
    rest = slash < 0 ? '' : authorityAndPath.slice(slash);
    host = parseAuthority(authority);
  }
  return { ...empty, scheme, host, path: unescape(rest, 'path'), rawPath: rest, rawQuery };
}

function splitScheme(raw: string): { scheme: string; rest: string } {
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] ?? '';
    if (/[A-Za-z]/.test(char)) continue;
    if (/[0-9+.-]/.test(char)) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (char === ':') {
      if (i === 0) throw new GoUrlError('missing protocol scheme');
      return { scheme: raw.slice(0, i).toLowerCase(), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

/** Splits `userinfo@host` at the last `@`, validates both parts and returns the host. */
function parseAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at < 0) return host;

  // Go checks the userinfo bytes as runes; any non-ASCII rune is invalid there.
  const userinfo = authority.slice(0, at);
  if (!USERINFO.test(userinfo)) throw new GoUrlError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), 'userinfo');
  if (colon >= 0) unescape(userinfo.slice(colon + 1), 'userinfo');
  return host;
}

/**
 * Validates `host[:port]`. Since Go 1.26 (GODEBUG urlstrictcolons=1) the first colon of a name that
 * is not in brackets starts the port.
 */
function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new GoUrlError("missing ']' in host");
    checkPort(host.slice(close + 1));
    // NOTE: Go also checks the address inside the brackets with netip.ParseAddr and decodes a `%25`
    // zone. Both are skipped, so error texts differ, because no bracketed host passes the allow-list.
    return unescape(host, 'host');
  }
  const colon = host.indexOf(':');
  if (colon >= 0) checkPort(host.slice(colon));
  return unescape(host, 'host');
}

function checkPort(colonPort: string): void {
  if (colonPort === '' || /^:[0-9]*$/.test(colonPort)) return;
  throw new GoUrlError(`invalid port ${goQuote(colonPort)} after host`);
}

type EscapeMode = 'path' | 'host' | 'userinfo' | 'query' | 'fragment';

// ASCII bytes Go's shouldEscape(c, encodeHost) lets through unescaped in a host.
const HOST_BYTE = /^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]$/;

const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * Percent-decodes like Go's `unescape`. In a host, only non-ASCII bytes and `%25` may be escaped, and
 * ASCII bytes outside the host set are invalid. In a query component, `+` becomes a space.
 */
export function unescape(text: string, mode: EscapeMode): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const char = text[i] ?? '';
    if (char === '%') {
      const digits = text.slice(i + 1, i + 3);
      if (!HEX.test(digits)) throw new GoUrlError(`invalid URL escape ${goQuote(text.slice(i, i + 3))}`);
      const byte = parseInt(digits, 16);
      if (mode === 'host' && byte < 0x80 && digits !== '25') {
        throw new GoUrlError(`invalid URL escape ${goQuote(`%${digits}`)}`);
      }
      out += String.fromCharCode(byte);
      i += 3;
      continue;
    }
    if (mode === 'host' && char.charCodeAt(0) < 0x80 && !HOST_BYTE.test(char)) {
      throw new GoUrlError(`invalid character ${goQuote(char)} in host name`);
    }
    out += char === '+' && mode === 'query' ? ' ' : char;
    i++;
  }
  return out;
}

/** One query parameter key with its values, in order of first appearance. */
export interface QueryParameter {
  readonly key: string;
  readonly values: readonly string[];
}

export class GoQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoQueryError';
  }
}

/**
 * Parses a query like Go's `url.ParseQuery`: pairs split on `&`, a `;` in a pair or a bad escape is
 * an error, a pair without `=` has the value '', empty pairs are skipped. Keys keep their order of
 * first appearance, and repeated keys collect their values.
 */
export function parseGoQuery(rawQuery: string): QueryParameter[] {
  const byKey = new Map<string, string[]>();
  let firstError: GoQueryError | undefined;

  for (const pair of rawQuery === '' ? [] : rawQuery.split('&')) {
    if (pair.includes(';')) {
      firstError ??= new GoQueryError('invalid semicolon separator in query');
      continue;
    }
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const decoded = decodePair(equals < 0 ? pair : pair.slice(0, equals), equals < 0 ? '' : pair.slice(equals + 1));
    if (decoded instanceof GoQueryError) {
      firstError ??= decoded;
      continue;
    }
    const values = byKey.get(decoded.key) ?? [];
    values.push(decoded.value);
    byKey.set(decoded.key, values);
  }

  if (firstError !== undefined) throw firstError;
  return [...byKey].map(([key, values]) => ({ key, values }));
}

function decodePair(key: string, value: string): { key: string; value: string } | GoQueryError {
  try {
    return { key: unescape(key, 'query'), value: unescape(value, 'query') };
  } catch (error) {
    if (error instanceof GoUrlError) return new GoQueryError(error.message);
    throw error;
  }
}
