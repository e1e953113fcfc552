import { describe, expect, it } from 'vitest';
import { decodeRawUrlBase64, encodeRawUrlBase64 } from './base64.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const decodeText = (text: string): string | number => {
  const result = decodeRawUrlBase64(bytes(text));
  return result.ok ? Buffer.from(result.bytes).toString('latin1') : result.offset;
};

describe('decodeRawUrlBase64', () => {
  it.each([
    ['', ''],
    ['YQ', 'a'],
    ['YWI', 'ab'],
    ['YWJj', 'abc'],
    ['YWJjZA', 'abcd'],
    ['-_-_', '\xfb\xff\xbf'],
    ['YW\r\nJj', 'abc'],
    ['\nYWJj\r', 'abc'],
    ['YR', 'a'], // non-zero trailing bits are tolerated
    ['YWJ', 'ab'],
  ])('decodes %j', (input, expected) => {
    expect(decodeText(input)).toBe(expected);
  });

  it.each([
    ['decodingerror', 12], // 13 symbols: a lone trailing symbol
    ['Y', 0],
    ['YWJjZ', 4],
    ['YWJjZ\n', 5], // Go counts the skipped newline in the offset
    ['YQ==', 2],
    ['YWJj=', 4],
    ['YW+j', 2],
    ['YW/j', 2],
    ['YW j', 2],
    ['YWJj\x00', 4],
    ['YWJj\xc3\xa9', 4],
    ['YW.j', 2],
  ])('rejects %j at byte %i', (input, offset) => {
    expect(decodeText(input)).toBe(offset);
  });

  it('round-trips with the encoder', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const result = decodeRawUrlBase64(Buffer.from(encodeRawUrlBase64(all), 'latin1'));
    expect(result.ok).toBe(true);
    expect(result.ok ? [...result.bytes] : []).toEqual([...all]);
  });
});

describe('encodeRawUrlBase64', () => {
  it('omits padding', () => {
    expect(encodeRawUrlBase64(bytes('a'))).toBe('YQ');
  });

  it('uses the URL alphabet', () => {
    expect(encodeRawUrlBase64(bytes('\xfb\xff\xbf'))).toBe('-_-_');
  });
});
