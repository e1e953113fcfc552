import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFastGoYaml } from './fastyaml.js';
import { parseGoYaml, parseGoYamlFull, type GoYamlResult, type KeyOrder } from './goyaml.js';
import { commonDocument, commonList, mutated, unusualDocument, unusualList } from './testkit.js';

const RUNS = 300;
const ORDERS: readonly KeyOrder[] = ['json-object', 'document'];

/** Checks that the fast reader either declines or returns the full reader's result; reports whether it accepted. */
function acceptsSameAsFull(text: string, order: KeyOrder): boolean {
  const full = parseGoYamlFull(text, order);
  const fast = parseFastGoYaml(text, order);
  if (fast !== undefined) expect(fast).toStrictEqual(full);
  expect(parseGoYaml(text, order)).toStrictEqual(full);
  return fast !== undefined;
}

/** Returns the data values of a ConfigMap as the full reader reads them. */
function dataValues(result: GoYamlResult): string[] {
  if (!result.ok || result.value.kind !== 'map') return [];
  const data = result.value.pairs.find((pair) => pair.key === 'data')?.value;
  if (data?.kind !== 'map') return [];
  return data.pairs.flatMap((pair) => (pair.value.kind === 'string' ? [pair.value.value] : []));
}

describe('parseFastGoYaml accepts', () => {
  it.each([
    ['mapping', 'a: b\n'],
    ['nested mapping', 'a:\n  b: c\n  d: e\nf: g\n'],
    ['list of mappings', '- rolearn: arn:aws:iam::1:role/a\n  username: a\n  groups:\n    - system:masters\n'],
    ['list at the key column', 'groups:\n- a\n- b\nnext: c\n'],
    ['flow list', 'groups: [system:masters, "viewers", \'x\']\n'],
    ['empty flow list', 'groups: []\n'],
    ['comments and blank lines', '# top\n\na: b # trailing\n  # indented\nc: d\n'],
    ['single quotes', "a: 'it''s'\n"],
    ['double quotes', 'a: "x: {{y}} #z"\n'],
    ['literal', 'a: |\n  x\n\n  y\nb: c\n'],
    ['literal strip', 'a: |-\n  x\n\n'],
    ['literal keep', 'a: |+\n  x\n\n\nb: c\n'],
    ['literal with deeper lines', 'a: |\n  x\n    y\n'],
    ['wide entry indicator', '-   a: b\n    c: d\n'],
    ['non-ASCII', 'a: ünïcode\n'],
  ])('%s', (_name, text) => {
    for (const order of ORDERS) expect(acceptsSameAsFull(text, order)).toBe(true);
  });
});

describe('parseFastGoYaml declines', () => {
  it.each([
    ['empty text', ''],
    ['comment only', '# x\n'],
    ['boolean', 'a: yes\n'],
    ['null', 'a: ~\n'],
    ['empty value', 'a:\nb: c\n'],
    ['number', 'a: 12\n'],
    ['timestamp', 'a: 2024-01-01\n'],
    ['boolean key', 'on: a\n'],
    ['merge key', '<<: {a: b}\n'],
    ['anchor', 'a: &x b\n'],
    ['alias', 'a: *x\n'],
    ['tag', 'a: !!str 1\n'],
    ['tab', 'a:\tb\n'],
    ['carriage return', 'a: b\r\n'],
    ['flow mapping', 'a: {b: c}\n'],
    ['second document', 'a: b\n---\nc: d\n'],
    ['document start', '---\na: b\n'],
    ['multi-line plain', 'a: b\n  c\n'],
    ['multi-line quoted', 'a: "b\n  c"\n'],
    ['escape', 'a: "b\\n"\n'],
    ['folded', 'a: >\n  b\n'],
    ['literal without final newline', 'a: |\n  b'],
    ['literal with leading blank line', 'a: |\n\n  b\n'],
    ['line of spaces', 'a: b\n  \nc: d\n'],
    ['odd indentation', 'a:\n  b: c\n d: e\n'],
    ['deeper entry', '- a: b\n   c: d\n'],
    ['colon in value', 'a: b: c\n'],
    ['quoted key', '"a": b\n'],
    ['top-level scalar', 'abc\n'],
    ['byte order mark', '\ufeffa: b\n'],
  ])('%s', (_name, text) => {
    for (const order of ORDERS) expect(acceptsSameAsFull(text, order)).toBe(false);
  });
});

describe('parseFastGoYaml differential', () => {
  it('common lists are read fast', () => {
    fc.assert(
      fc.property(commonList(), (text) => {
        for (const order of ORDERS) expect(acceptsSameAsFull(text, order)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('common documents are read fast', () => {
    fc.assert(
      fc.property(commonDocument(), (text) => {
        expect(acceptsSameAsFull(text, 'document')).toBe(true);
        for (const value of dataValues(parseGoYamlFull(text, 'document'))) expect(acceptsSameAsFull(value, 'json-object')).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('unusual and mutated texts match the full reader', () => {
    let accepted = 0;
    let declined = 0;
    const texts = fc.oneof(unusualList(), unusualDocument(), mutated(commonList()), mutated(commonDocument()), mutated(unusualList()));
    fc.assert(
      fc.property(texts, (text) => {
        for (const order of ORDERS) {
          if (acceptsSameAsFull(text, order)) accepted++;
          else declined++;
        }
      }),
      { numRuns: RUNS * 3 },
    );
    // Both outcomes occur, so the property compares accepted texts and does not only decline.
    expect(accepted).toBeGreaterThan(RUNS / 10);
    expect(declined).toBeGreaterThan(RUNS / 10);
  });

  it('shared aws-auth fixtures match the full reader', () => {
    const folder = new URL('../../../shared/vectors/aws-auth-fixtures/', import.meta.url);
    const names = readdirSync(folder).filter((name) => name.endsWith('.yaml'));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const text = readFileSync(new URL(name, folder), 'utf8');
      acceptsSameAsFull(text, 'document');
      for (const value of dataValues(parseGoYamlFull(text, 'document'))) acceptsSameAsFull(value, 'json-object');
    }
  });
});
