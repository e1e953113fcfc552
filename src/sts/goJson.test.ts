import { describe, expect, it } from 'vitest';
import { GoJsonError, parseGoJson } from './goJson.js';

describe('parseGoJson', () => {
  it('keeps duplicate keys in order', () => {
    expect(parseGoJson('{"a":1,"A":2,"a":3}')).toEqual({
      kind: 'object',
      entries: [
        ['a', { kind: 'number', literal: '1' }],
        ['A', { kind: 'number', literal: '2' }],
        ['a', { kind: 'number', literal: '3' }],
      ],
    });
  });

  it.each([
    ['"a\\u0041\\n\\/"', 'aA\n/'],
    ['"\\ud83d\\ude00"', '😀'],
    ['"\\ud800x"', '\ufffdx'],
    ['"\\udc00"', '\ufffd'],
    ['"\\ud800\\u0041"', '\ufffdA'],
    ['"é"', 'é'],
  ])('decodes string %s', (input, expected) => {
    expect(parseGoJson(input)).toEqual({ kind: 'string', value: expected });
  });

  it.each([
    [' [true, false, null, -0.5e+3, {}] ', 'array'],
    ['0', 'number'],
    ['"x"', 'string'],
  ])('accepts %j', (input, kind) => {
    expect(parseGoJson(input).kind).toBe(kind);
  });

  it.each([
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['xxxx', "invalid character 'x' looking for beginning of value"],
    ['<Error/>', "invalid character '<' looking for beginning of value"],
    ['{"a":1}x', "invalid character 'x' after top-level value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b"}', `invalid character '"' after object key:value pair`],
    ['{1:2}', "invalid character '1' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['[1 2]', "invalid character '2' after array element"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['"a\u0001"', "invalid character '\\x01' in string literal"],
    ['"\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['-', "invalid character ' ' in numeric literal"],
    ['-a', "invalid character 'a' in numeric literal"],
    ['1.', "invalid character ' ' after decimal point in numeric literal"],
    ['1.e', "invalid character 'e' after decimal point in numeric literal"],
    ['1e', "invalid character ' ' in exponent of numeric literal"],
    ['01', "invalid character '1' after top-level value"],
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['fals0', "invalid character '0' in literal false (expecting 'e')"],
    ['nul', "invalid character ' ' in literal null (expecting 'l')"],
    ['"abc', 'unexpected end of JSON input'],
    ['"\\', "invalid character ' ' in string escape code"],
    ['[1', 'unexpected end of JSON input'],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
    ['é', "invalid character 'Ã' looking for beginning of value"],
    ['\u00a0', "invalid character 'Â' looking for beginning of value"],
    ['['.repeat(10001), "invalid character '[' exceeded max depth"],
  ])('rejects %j', (input, message) => {
    expect(() => parseGoJson(input)).toThrow(GoJsonError);
    expect(() => parseGoJson(input)).toThrow(message);
  });

  it('reads a lone surrogate as U+FFFD', () => {
    // The text is read as its UTF-8 bytes, where a lone surrogate is already U+FFFD.
    expect(parseGoJson('"a\ud800"')).toEqual({ kind: 'string', value: 'a\ufffd' });
  });

  it('reports the byte offset of an error', () => {
    try {
      parseGoJson('["é",]');
      expect.unreachable('parseGoJson accepted a trailing comma');
    } catch (error) {
      expect(error).toBeInstanceOf(GoJsonError);
      expect((error as GoJsonError).offset).toBe(6);
    }
  });

  it('accepts nesting at the depth limit', () => {
    expect(parseGoJson(`${'['.repeat(10000)}${']'.repeat(10000)}`).kind).toBe('array');
  });
});
