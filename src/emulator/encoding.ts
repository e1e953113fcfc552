import { malformedQueryString } from './errors.js';

/** Name/value pairs in the order they were received; names may repeat. */
export type ParameterList = ReadonlyArray<readonly [string, string]>;

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a query string or an `application/x-www-form-urlencoded` body into ordered pairs. `+` is a
 * space, a pair without `=` has the value '', and empty pairs are skipped. A bad `%` escape, invalid
 * UTF-8 or a raw byte outside printable ASCII raises MalformedQueryString, because every AWS client
 * percent-encodes such bytes.
 */
export function parseFormEncoded(text: string): Array<[string, string]> {
  if (!PRINTABLE_ASCII.test(text)) {
    throw malformedQueryString('The query string contains a character that is not percent-encoded.');
  }

  const pairs: Array<[string, string]> = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const separator = part.indexOf('=');
    const name = separator < 0 ? part : part.slice(0, separator);
    const value = separator < 0 ? '' : part.slice(separator + 1);
    pairs.push([formDecode(name), formDecode(value)]);
  }
  return pairs;
}

/** Decodes one form-encoded component: `+` becomes a space and `%XX` escapes form UTF-8 bytes. */
export function formDecode(component: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < component.length; index += 1) {
    const char = component[index] ?? '';
    if (char === '+') {
      bytes.push(0x20);
    } else if (char === '%') {
      const hex = component.slice(index + 1, index + 3);
      if (!HEX_PAIR.test(hex)) {
        throw malformedQueryString(`The query string contains an invalid percent escape: %${hex}`);
      }
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(char.charCodeAt(0));
    }
  }

  try {
    return utf8Decoder.decode(Uint8Array.from(bytes));
  } catch {
    throw malformedQueryString('The query string contains a percent-encoded sequence that is not UTF-8.');
  }
}

/**
 * Encodes text with the SigV4 rules: the unreserved characters `A-Za-z0-9-_.~` stay literal, every
 * other UTF-8 byte becomes `%XX` with upper-case hex.
 */
export function sigv4Encode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
