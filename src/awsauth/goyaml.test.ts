import { describe, expect, it } from 'vitest';
import { parseGoYaml, resolvePlain, scalarText, type GoPair, type GoValue, type KeyOrder } from './goyaml.js';

function valueOf(text: string, order?: KeyOrder): GoValue {
  const result = parseGoYaml(text, order);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  return result.value;
}

function errorOf(text: string): string {
  const result = parseGoYaml(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail`);
  return result.error.message;
}

function pairsOf(text: string, order?: KeyOrder): readonly GoPair[] {
  const value = valueOf(text, order);
  if (value.kind !== 'map') throw new Error(`expected a map, got ${value.kind}`);
  return value.pairs;
}

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
    expect(valueOf('!!str 123').kind).toBe('string');
  });

  it('explicit int tag on a quoted number', () => {
    expect(valueOf('!!int "12"').kind).toBe('number');
  });

  it('explicit int tag on a word', () => {
    expect(errorOf('!!int abc')).toBe('yaml: cannot decode !!str `abc` as a !!int');
  });

  it('null key is an error', () => {
    expect(parseGoYaml('~: a').ok).toBe(false);
  });

  it('number keys become text', () => {
    expect(pairsOf('0x10: a')[0]?.key).toBe('16');
  });

  it('document order keeps duplicates', () => {
    expect(pairsOf('{"a": 1, "A": 2, "a": 3}', 'document').map((pair) => pair.key)).toEqual(['a', 'A', 'a']);
  });

  it('JSON order keeps the last duplicate, sorted', () => {
    expect(pairsOf('b: 1\na: 2\nb: 3\n').map((pair) => [pair.key, pair.value.line])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('merge list applies first map last', () => {
    const merged = pairsOf('x: &x {a: 1}\ny: &y {a: 2}\nz:\n  <<: [*x, *y]\n', 'document')[2]?.value;
    if (merged?.kind !== 'map') throw new Error('expected z to be a map');
    expect(merged.pairs.map((pair) => scalarText(pair.value))).toEqual(['2', '1']);
  });
});
