import { createHash, randomBytes } from 'node:crypto';

/** Returns `size` random bytes. Tests pass a seeded source to get the same ids on every run. */
export type RandomBytes = (size: number) => Uint8Array;

export const cryptoRandomBytes: RandomBytes = (size) => randomBytes(size);

/** IAM unique ids and access key ids use upper-case letters and the digits 2–7. */
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Draws `length` characters from an alphabet whose size divides 256, so every character is equally likely. */
function randomString(random: RandomBytes, alphabet: string, length: number): string {
  const bytes = random(length);
  let text = '';
  for (let index = 0; index < length; index += 1) {
    text += alphabet[(bytes[index] ?? 0) % alphabet.length] ?? '';
  }
  return text;
}

/** Generates an id such as `AIDA…` or `AKIA…`: the prefix, then upper-case base32 characters up to `length`. */
export function randomIamId(random: RandomBytes, prefix: string, length: number): string {
  return prefix + randomString(random, BASE32_ALPHABET, length - prefix.length);
}

/** Generates a secret access key of 40 base64 characters, like the keys IAM issues. */
export function randomSecretAccessKey(random: RandomBytes): string {
  return randomString(random, BASE64_ALPHABET, 40);
}

/**
 * Generates an opaque session token, the base64 of random bytes. Real tokens are several hundred characters and
 * contain `+` and `/`, which this one does too, so clients must percent-encode it.
 */
export function randomSessionToken(random: RandomBytes): string {
  return Buffer.from(random(264)).toString('base64');
}

/** Generates a request id in the UUID version 4 format STS uses. */
export function randomRequestId(random: RandomBytes): string {
  const bytes = Buffer.from(random(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Creates a deterministic byte source from a seed: SHA-256 of the seed and a block counter.
 * For tests and reproducible demos only, because the seed determines every secret.
 */
export function seededRandomBytes(seed: string): RandomBytes {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (size) => {
    while (pool.length < size) {
      const block = createHash('sha256').update(`${seed}:${counter}`).digest();
      counter += 1;
      pool = Buffer.concat([pool, block]);
    }
    const bytes = pool.subarray(0, size);
    pool = pool.subarray(size);
    return Uint8Array.from(bytes);
  };
}
