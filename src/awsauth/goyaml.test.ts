import { describe, expect, it } from 'vitest';
import { parseGoYaml, resolvePlain } from './goyaml.js';

describe('resolvePlain', () => {
  it.each([
    ['yes', 'bool'],
    ['Off', 'bool'],
    ['Y', 'bool'],
    ['~', 'null'],
    ['', 'null'],
    ['NULL', 'null'],
    ['12', 'number'],
    ['-0b101', 'number'],
    ['0o17', 'number'],
    ['+12', 'number'],
    ['18446744073709551615', 'number'],
    ['99999999999999999999', 'number'],
    ['.inf', 'number'],
    ['-.5e3', 'number'],
    ['08', 'number'],
    ['0xFFFFFFFFFFFFFFFFFF', 'string'],
    ['yEs', 'string'],
    ['1:20', 'string'],
    ['2001-01-01', 'string'],
    ['0x', 'string'],
    ['-', 'string'],
    ['arn:aws:iam::1:role/a', 'string'],
  ])('%s is %s', (text, kind) => {
    expect(resolvePlain(text).kind).toBe(kind);
  });
});

describe('parseGoYaml', () => {
  it('explicit string tag', () => {
    const result = parseGoYaml('!!str 123');
    expect(result.ok && result.value.kind).toBe('string');
  });

  it('explicit int tag on a quoted number', () => {
    const result = parseGoYaml('!!int "12"');
    expect(result.ok && result.value.kind).toBe('number');
  });

  it('explicit int tag on a word', () => {
    const result = parseGoYaml('!!int abc');
    expect(!result.ok && result.error.message).toBe('yaml: cannot decode !!str `abc` as a !!int');
  });

  it('null key is an error', () => {
    expect(parseGoYaml('~: a').ok).toBe(false);
  });

  it('number keys become text', () => {
    const result = parseGoYaml('0x10: a');
    expect(result.ok && result.value.kind === 'map' && result.value.pairs[0]?.key).toBe('16');
  });

  it('document order keeps duplicates', () => {
    const result = parseGoYaml('{"a": 1, "A": 2, "a": 3}', 'document');
    expect(result.ok && result.value.kind === 'map' && result.value.pairs.map((pair) => pair.key)).toEqual(['a', 'A', 'a']);
  });

  it('JSON order keeps the last duplicate, sorted', () => {
    const result = parseGoYaml('b: 1\na: 2\nb: 3\n');
    expect(result.ok && result.value.kind === 'map' && result.value.pairs.map((pair) => [pair.key, pair.value.line])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('merge list applies first map last', () => {
    const result = parseGoYaml('x: &x {a: 1}\ny: &y {a: 2}\nz:\n  <<: [*x, *y]\n', 'document');
    const z = result.ok && result.value.kind === 'map' ? result.value.pairs[2]?.value : undefined;
    expect(z?.kind === 'map' && z.pairs.map((pair) => pair.value.kind === 'number' && pair.value.text)).toEqual(['2', '1']);
  });
});
