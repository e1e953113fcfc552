import { describe, expect, it } from 'vitest';
import { decodeUtf8LikeGo, GoJsonSyntaxError, MAX_NESTING_DEPTH, readFirstJsonValue } from './gojson.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

function syntaxError(input: string | Uint8Array): string {
  try {
    readFirstJsonValue(typeof input === 'string' ? bytes(input) : input);
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) {
      return error.message;
    }
    throw error;
  }
  return 'no error';
}

describe('readFirstJsonValue', () => {
  it('keeps duplicate keys in order', () => {
    expect(readFirstJsonValue(bytes('{"a":1,"A":2,"a":3}'))).toEqual({
      kind: 'object',
      entries: [
        ['a', { kind: 'number', literal: '1' }],
        ['A', { kind: 'number', literal: '2' }],
        ['a', { kind: 'number', literal: '3' }],
      ],
    });
  });

  it.each([
    ['{"a":1} trailing', 'object'],
    ['{"a":1}{', 'object'],
    ['[1,2]]]', 'array'],
    ['nullx', 'null'],
    ['  \t\r\n"s"x', 'string'],
    ['5x', 'number'],
  ])('ignores text after the first value: %j', (input, kind) => {
    expect(readFirstJsonValue(bytes(input)).kind).toBe(kind);
  });

  it.each([
    ['', 'EOF'],
    [' \n\t', 'EOF'],
    ['{', 'unexpected EOF'],
    ['{"a":', 'unexpected EOF'],
    ['"abc', 'unexpected EOF'],
    ['-', 'unexpected EOF'],
    ['tru', 'unexpected EOF'],
    ['not valid json', "invalid character 'o' in literal null (expecting 'u')"],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['"a\u0001"', "invalid character '\\x01' in string literal"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ['"\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['-a', "invalid character 'a' in numeric literal"],
    ['1.e5', "invalid character 'e' after decimal point in numeric literal"],
    ['1e+', 'unexpected EOF'],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
    ['\ufeff{}', "invalid character 'ï' looking for beginning of value"],
    ['\u0080', "invalid character 'Â' looking for beginning of value"],
    [Uint8Array.from([0x85]), "invalid character '\\u0085' looking for beginning of value"],
    ['\u007f', "invalid character '\\x7f' looking for beginning of value"],
  ])('rejects %j', (input, message) => {
    expect(syntaxError(input)).toBe(message);
  });

  it.each([['0'], ['-0'], ['1.25'], ['1e10'], ['-2.5E-3'], ['123']])('reads number %s', (literal) => {
    expect(readFirstJsonValue(bytes(literal))).toEqual({ kind: 'number', literal });
  });

  it('stops a leading zero before the next digit', () => {
    expect(readFirstJsonValue(bytes('012'))).toEqual({ kind: 'number', literal: '0' });
  });

  it('accepts nesting up to the maximum depth', () => {
    const input = '['.repeat(MAX_NESTING_DEPTH) + ']'.repeat(MAX_NESTING_DEPTH);
    expect(readFirstJsonValue(bytes(input)).kind).toBe('array');
  });

  it('rejects nesting beyond the maximum depth', () => {
    const depth = MAX_NESTING_DEPTH + 1;
    // Go's scanner reports the bracket that opened one level too many.
    expect(syntaxError('['.repeat(depth) + ']'.repeat(depth))).toBe("invalid character '[' exceeded max depth");
  });

  it('reads half a million nested arrays without overflowing the stack', () => {
    expect(syntaxError('[{"a":'.repeat(500_000))).toBe("invalid character '[' exceeded max depth");
  });
});

describe('string decoding', () => {
  const read = (input: string | Uint8Array): string => {
    const node = readFirstJsonValue(typeof input === 'string' ? bytes(input) : input);
    if (node.kind !== 'string') {
      throw new Error(`expected a string, got ${node.kind}`);
    }
    return node.value;
  };

  it.each([
    ['"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\/\b\f\n\r\t'],
    ['"\\u00e9\\u4e2d"', 'é中'],
    ['"\\ud83d\\ude00"', '😀'],
    ['"\\ud83d"', '\ufffd'],
    ['"\\ude00"', '\ufffd'],
    ['"\\ud83dx"', '\ufffdx'],
    ['"\\ud83d\\u0041"', '\ufffdA'],
    ['"é😀"', 'é😀'],
  ])('unquotes %s', (input, expected) => {
    expect(read(input)).toBe(expected);
  });

  it.each([
    [[0x22, 0xff, 0x22], '\ufffd'],
    [[0x22, 0xc3, 0x22], '\ufffd'],
    [[0x22, 0xe4, 0xb8, 0x22], '\ufffd\ufffd'],
    [[0x22, 0xc0, 0x80, 0x22], '\ufffd\ufffd'],
    [[0x22, 0xed, 0xa0, 0x80, 0x22], '\ufffd\ufffd\ufffd'],
    [[0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], '\ufffd\ufffd\ufffd\ufffd'],
    [[0x22, 0x5c, 0x6e, 0xff, 0x22], '\n\ufffd'],
  ])('replaces each invalid UTF-8 byte %j', (input, expected) => {
    expect(read(Uint8Array.from(input))).toBe(expected);
  });

  it('decodes valid four-byte sequences', () => {
    expect(decodeUtf8LikeGo(Uint8Array.from([0xf0, 0x9f, 0x98, 0x80]))).toBe('😀');
  });
});
