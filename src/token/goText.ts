/**
 * Go standard-library string behaviour the verifier's messages and checks depend on. Inputs named
 * `raw` are byte strings: one UTF-16 unit per byte (0–255), as `Buffer#toString('latin1')` gives,
 * so untrusted bytes keep their exact value until they are shown.
 */

/** Converts bytes to a byte string (one character per byte). */
export function bytesToRaw(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Decodes a byte string as UTF-8 text; invalid sequences become U+FFFD, as Go's conversions do. */
export function rawToText(raw: string): string {
  return Buffer.from(raw, 'latin1').toString('utf8');
}

/** Encodes text as a byte string of its UTF-8 bytes. */
export function textToRaw(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/**
 * Quotes a byte string like Go's `strconv.Quote` (`%q`): UTF-8 runes stay when printable, invalid
 * bytes become `\xNN`, and other runes use Go's escapes.
 */
export function goQuote(raw: string): string {
  const text = Buffer.from(raw, 'latin1');
  let out = '"';
  let i = 0;
  while (i < text.length) {
    const rune = decodeRune(text, i);
    out += rune.valid ? escapeRune(rune.codePoint) : `\\x${hex2(text[i] ?? 0)}`;
    i += rune.size;
  }
  return `${out}"`;
}

function escapeRune(codePoint: number): string {
  const named: Record<number, string> = {
    0x07: '\\a', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v',
    0x5c: '\\\\', 0x22: '\\"',
  };
  const escape = named[codePoint];
  if (escape !== undefined) return escape;

  const char = String.fromCodePoint(codePoint);
  if (PRINTABLE.test(char)) return char;
  if (codePoint < 0x20 || codePoint === 0x7f) return `\\x${hex2(codePoint)}`;
  if (codePoint < 0x10000) return `\\u${codePoint.toString(16).padStart(4, '0')}`;
  return `\\U${codePoint.toString(16).padStart(8, '0')}`;
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

interface Rune {
  readonly valid: boolean;
  readonly codePoint: number;
  readonly size: number;
}

/** Decodes one UTF-8 rune like Go's `utf8.DecodeRune` (invalid input consumes one byte). */
function decodeRune(bytes: Uint8Array, at: number): Rune {
  const invalid: Rune = { valid: false, codePoint: 0xfffd, size: 1 };
  const first = bytes[at] ?? 0;
  if (first < 0x80) return { valid: true, codePoint: first, size: 1 };

  const size = utf8SequenceLength(first);
  if (size === 0 || at + size > bytes.length) return invalid;
  let codePoint = first & (0xff >> (size + 1));
  for (let k = 1; k < size; k++) {
    const next = bytes[at + k] ?? 0;
    if ((next & 0xc0) !== 0x80) return invalid;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }

  const minimum = [0, 0, 0x80, 0x800, 0x10000][size] ?? 0;
  const surrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  if (codePoint < minimum || codePoint > 0x10ffff || surrogate) return invalid;
  return { valid: true, codePoint, size };
}

/** Returns the length of a UTF-8 sequence from its first byte, or 0 for a byte no sequence starts with. */
function utf8SequenceLength(first: number): number {
  if (first >= 0xf5) return 0;
  if (first >= 0xf0) return 4;
  if (first >= 0xe0) return 3;
  if (first >= 0xc2) return 2;
  return 0;
}

/**
 * Lower-cases like Go's `strings.ToLower`, which maps each code point on its own. JavaScript differs
 * only for U+0130 (Go gives `i`) and for a final sigma (Go always gives σ).
 */
export function goToLower(text: string): string {
  let out = '';
  for (const char of text) {
    if (char === '\u0130') out += 'i';
    else if (char === 'Σ') out += 'σ';
    else out += char.toLowerCase();
  }
  return out;
}

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * Parses a decimal integer like Go's `strconv.Atoi` on a 64-bit platform. Returns the value Go
 * returns (0 for syntax errors, the clamped bound for out-of-range input) and whether it failed.
 */
export function goAtoi(text: string): { readonly value: bigint; readonly ok: boolean } {
  if (text === '') return { value: 0n, ok: false };
  const negative = text.startsWith('-');
  const digits = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  if (digits === '') return { value: 0n, ok: false };

  const magnitude = parseUint64(digits);
  if (magnitude === 'syntax') return { value: 0n, ok: false };
  if (magnitude === 'range') return { value: negative ? MIN_INT64 : MAX_INT64, ok: false };
  if (!negative && magnitude > MAX_INT64) return { value: MAX_INT64, ok: false };
  if (negative && magnitude > -MIN_INT64) return { value: MIN_INT64, ok: false };
  return { value: negative ? -magnitude : magnitude, ok: true };
}

/** Go's `ParseUint(s, 10, 64)`: stops at the first overflow, so later bytes are never checked. */
function parseUint64(digits: string): bigint | 'syntax' | 'range' {
  let value = 0n;
  for (const char of digits) {
    if (char < '0' || char > '9') return 'syntax';
    value = value * 10n + BigInt(char.charCodeAt(0) - 0x30);
    if (value > MAX_UINT64) return 'range';
  }
  return value;
}
