/**
 * Base64url without padding, decoded exactly as Go's `base64.RawURLEncoding` does, because the
 * verifier must accept and reject the same tokens and report the same byte offsets. Node's own
 * decoder skips invalid characters and accepts padding, so it is not used on untrusted input.
 */

const INVALID = 0xff;

const DECODE_MAP: Uint8Array = buildDecodeMap();

function buildDecodeMap(): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const map = new Uint8Array(256).fill(INVALID);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}

export type Base64DecodeResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly offset: number };

/**
 * Decodes base64url without padding. `\r` and `\n` are skipped anywhere, `=` and every byte outside
 * `A-Za-z0-9-_` are illegal, a lone trailing character is illegal, and non-zero trailing bits are
 * tolerated. On failure, `offset` is the 0-based input index Go reports in
 * `illegal base64 data at input byte N`.
 */
export function decodeRawUrlBase64(input: Uint8Array): Base64DecodeResult {
  const output = new Uint8Array(Math.floor((input.length * 6) / 8));
  let written = 0;
  let position = 0;

  while (position < input.length) {
    const quantum = decodeQuantum(input, position);
    if (!quantum.ok) return quantum;
    for (let i = 0; i < quantum.count; i++) output[written++] = quantum.bytes[i] ?? 0;
    position = quantum.next;
  }
  return { ok: true, bytes: output.subarray(0, written) };
}

type QuantumResult =
  | { readonly ok: true; readonly next: number; readonly count: number; readonly bytes: number[] }
  | { readonly ok: false; readonly offset: number };

/** Decodes up to four symbols starting at `start`, like Go's `decodeQuantum`. */
function decodeQuantum(input: Uint8Array, start: number): QuantumResult {
  const symbols = [0, 0, 0, 0];
  let length = 4;
  let position = start;

  for (let j = 0; j < 4; j++) {
    if (position === input.length) {
      if (j === 0) return { ok: true, next: position, count: 0, bytes: [] };
      // One symbol carries only 6 bits, which is not a whole byte.
      if (j === 1) return { ok: false, offset: position - j };
      length = j;
      break;
    }
    const byte = input[position] ?? 0;
    position++;

    const value = DECODE_MAP[byte] ?? INVALID;
    if (value !== INVALID) {
      symbols[j] = value;
      continue;
    }
    if (byte === 0x0a || byte === 0x0d) {
      j--;
      continue;
    }
    return { ok: false, offset: position - 1 };
  }

  const bits = ((symbols[0] ?? 0) << 18) | ((symbols[1] ?? 0) << 12) | ((symbols[2] ?? 0) << 6) | (symbols[3] ?? 0);
  const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff];
  return { ok: true, next: position, count: length - 1, bytes };
}

/** Encodes bytes as base64url without padding (trusted output, so Node's encoder is fine here). */
export function encodeRawUrlBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
