/**
 * A minimal ASN.1 DER encoder (ITU-T X.690), enough to build an X.509 certificate: node:crypto
 * signs and exports keys but has no API to create certificates.
 */

const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Encodes a definite length: short form below 128, long form (0x80 | byte count) above. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) {
    return Buffer.from([length]);
  }
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Encodes one tag-length-value element. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(TAG.sequence, Buffer.concat(items));
}

export function set(...items: Uint8Array[]): Buffer {
  return tlv(TAG.set, Buffer.concat(items));
}

export function boolean(value: boolean): Buffer {
  return tlv(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return tlv(TAG.null, Buffer.alloc(0));
}

/**
 * Encodes a non-negative integer given as big-endian bytes: leading zero bytes are dropped and one
 * is added back when the high bit is set, so the value stays positive.
 */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) {
    start++;
  }
  const trimmed = Buffer.from(bytes.subarray(start));
  const needsPadding = trimmed.length === 0 || ((trimmed[0] as number) & 0x80) !== 0;
  return tlv(TAG.integer, needsPadding ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function smallInteger(value: number): Buffer {
  return unsignedInteger(Buffer.from([value]));
}

/** Encodes a dotted object identifier such as `2.5.29.17`. */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    bytes.push(...base128(arc));
  }
  return tlv(TAG.oid, Buffer.from(bytes));
}

/** Big-endian base-128 digits with the continuation bit set on all but the last. */
function base128(value: number): number[] {
  const digits = [value % 128];
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) {
    digits.unshift((rest % 128) | 0x80);
  }
  return digits;
}

export function utf8String(value: string): Buffer {
  return tlv(TAG.utf8String, Buffer.from(value, 'utf8'));
}

export function octetString(content: Uint8Array): Buffer {
  return tlv(TAG.octetString, content);
}

/** Encodes a bit string whose bits fill whole bytes. */
export function bitString(content: Uint8Array): Buffer {
  return tlv(TAG.bitString, Buffer.concat([Buffer.from([0]), content]));
}

/**
 * Encodes named bits (bit 0 is the most significant bit of the first byte) as DER requires for
 * named-bit lists: trailing zero bits are removed and counted in the leading byte.
 */
export function namedBits(bits: readonly number[]): Buffer {
  const highest = Math.max(...bits);
  const content = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) {
    content[Math.floor(bit / 8)] = (content[Math.floor(bit / 8)] as number) | (0x80 >> bit % 8);
  }
  const unusedBits = 7 - (highest % 8);
  return tlv(TAG.bitString, Buffer.concat([Buffer.from([unusedBits]), content]));
}

/**
 * Encodes a certificate validity time as RFC 5280 requires: UTCTime (YYMMDDHHMMSSZ) for the years
 * 1950 to 2049, GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise.
 */
export function time(date: Date): Buffer {
  const year = date.getUTCFullYear();
  const rest = [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join('');
  if (year >= 1950 && year < 2050) {
    return tlv(TAG.utcTime, Buffer.from(`${String(year % 100).padStart(2, '0')}${rest}Z`, 'ascii'));
  }
  return tlv(TAG.generalizedTime, Buffer.from(`${String(year).padStart(4, '0')}${rest}Z`, 'ascii'));
}

/** Wraps an encoded element in a constructed context-specific tag `[number]` (EXPLICIT tagging). */
export function explicit(number: number, element: Uint8Array): Buffer {
  return tlv(0xa0 | number, element);
}

/** Encodes a primitive context-specific element `[number]` (IMPLICIT tagging of a primitive type). */
export function implicitPrimitive(number: number, content: Uint8Array): Buffer {
  return tlv(0x80 | number, content);
}

/** One element read back from DER: its tag and where its content lies in the input. */
export interface DerElement {
  readonly tag: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Reads the element starting at `offset`; throws RangeError on truncated input. */
export function readElement(input: Uint8Array, offset: number): DerElement {
  const tag = input[offset];
  const first = input[offset + 1];
  if (tag === undefined || first === undefined) {
    throw new RangeError(`truncated DER element at offset ${offset}`);
  }

  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const byteCount = first & 0x7f;
    length = 0;
    for (let i = 0; i < byteCount; i++) {
      length = length * 256 + (input[contentStart + i] ?? 0);
    }
    contentStart += byteCount;
  }

  const end = contentStart + length;
  if (end > input.length) {
    throw new RangeError(`truncated DER element at offset ${offset}`);
  }
  return { tag, contentStart, end };
}
