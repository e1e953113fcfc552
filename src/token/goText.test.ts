import { describe, expect, it } from 'vitest';
import { goAtoi, goQuote, goToLower, textToRaw } from './goText.js';

describe('goQuote', () => {
  it.each([
    ['abc', '"abc"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\x00\x7f', '"\\n\\t\\x00\\x7f"'],
    [textToRaw('é€😀'), '"é€😀"'],
    ['\xff\xc3', '"\\xff\\xc3"'],
    [textToRaw('\u00a0\u200b'), '"\\u00a0\\u200b"'],
    ['\xed\xa0\x80', '"\\xed\\xa0\\x80"'], // an encoded surrogate is invalid UTF-8
  ])('quotes %j', (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });
});

describe('goAtoi', () => {
  it.each([
    ['60', 60n, true],
    ['+60', 60n, true],
    ['-0', 0n, true],
    ['0900', 900n, true],
    ['', 0n, false],
    ['+', 0n, false],
    ['-', 0n, false],
    [' 60', 0n, false],
    ['60 ', 0n, false],
    ['6_0', 0n, false],
    ['0x10', 0n, false],
    ['9223372036854775807', 9223372036854775807n, true],
    ['9223372036854775808', 9223372036854775807n, false],
    ['-9223372036854775808', -9223372036854775808n, true],
    ['-9223372036854775809', -9223372036854775808n, false],
    ['99999999999999999999', 9223372036854775807n, false],
    ['99999999999999999999x', 9223372036854775807n, false], // Go stops at the overflow
    ['9999999999999999999x', 0n, false],
  ])('parses %j', (input, value, ok) => {
    expect(goAtoi(input)).toEqual({ value, ok });
  });
});

describe('goToLower', () => {
  it.each([
    ['X-Amz-Date', 'x-amz-date'],
    ['\u0130', 'i'],
    ['ΣΑΣ', 'σασ'],
    ['\u212a', 'k'],
  ])('lowers %j', (input, expected) => {
    expect(goToLower(input)).toBe(expected);
  });
});
