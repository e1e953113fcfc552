import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spliceBlockValue, writeDataValue } from './document.js';
import { parseAwsAuth } from './parse.js';
import type { DataKey } from './types.js';

const USERS = '- userarn: arn:aws:iam::111122223333:user/a\n  username: a\n  groups:\n    - viewers\n';
const ROLES = '- rolearn: arn:aws:iam::111122223333:role/r\n  username: r\n';
const APPENDED = `${USERS}- userarn: arn:aws:iam::111122223333:user/b\n  username: b\n`;

function indentLines(text: string, indent: number): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : ' '.repeat(indent) + line))
    .join('\n');
}

interface Shape {
  /** Column of the data keys; 0 writes a bare data map. */
  readonly keyColumn: number;
  /** Extra indentation of the block content under its key. */
  readonly step: number;
  readonly header: string;
  /** Text placed right after the mapUsers block. */
  readonly after: string;
  /** Text placed before the document, such as a `---` marker. Default: none. */
  readonly before?: string;
  readonly usersFirst: boolean;
  readonly lineBreak: '\n' | '\r\n';
}

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n';

/** Writes a ConfigMap (or a bare data map) with mapRoles and mapUsers as block scalars. */
function writeDocument(shape: Shape, usersValue: string): string {
  const pad = ' '.repeat(shape.keyColumn);
  const block = (key: string, header: string, value: string) => `${pad}${key}: ${header}\n${indentLines(value, shape.keyColumn + shape.step)}`;
  // Keys in `after` sit at the column of the data keys.
  const after = shape.after.replace(/^(?=[a-z])/gm, pad);
  const roles = block('mapRoles', '|', ROLES);
  const users = block('mapUsers', shape.header, usersValue) + after;
  const data = shape.usersFirst ? users + roles : roles + users;
  const text = (shape.before ?? '') + (shape.keyColumn === 0 ? data : HEAD + data);
  return shape.lineBreak === '\n' ? text : text.replace(/\n/g, '\r\n');
}

function writeWithTree(text: string, key: DataKey, value: string): string {
  return writeDataValue(text, parseAwsAuth(text, { sourceName: 'test' }), key, value, { splice: false });
}

const usualShape: fc.Arbitrary<Shape> = fc.record({
  keyColumn: fc.constantFrom(0, 2, 4),
  step: fc.constantFrom(1, 2, 4),
  header: fc.constant('|'),
  after: fc.constantFrom('', '# trailing comment\n', 'other: kept\n'),
  usersFirst: fc.boolean(),
  lineBreak: fc.constant('\n' as const),
});

describe('spliceBlockValue', () => {
  it('matches the tree path on usual documents', () => {
    fc.assert(
      fc.property(usualShape, fc.constantFrom(APPENDED, ROLES, `${USERS}- userarn: arn:aws:iam::111122223333:user/c\n  username: "c:{{SessionName}}"\n`), (shape, value) => {
        const text = writeDocument(shape, USERS);
        const parsed = parseAwsAuth(text, { sourceName: 'test' });
        const spliced = spliceBlockValue(text, parsed, 'mapUsers', value);
        expect(spliced).toBeDefined();
        expect(spliced).toBe(writeWithTree(text, 'mapUsers', value));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the tree path on any document', () => {
    const anyShape: fc.Arbitrary<Shape> = fc.record({
      keyColumn: fc.constantFrom(0, 2, 3, 4),
      step: fc.constantFrom(1, 2, 4),
      header: fc.constantFrom('|', '|-', '|+', '|2', '>', '| # note', '|  '),
      after: fc.constantFrom('', '\n', '  \n', '# comment\n', ' # comment\n', '   # deep comment\n', 'other: kept\n', 'mapUsers: |\n  - x\n', 'tail', '---\nkind: Other\n', '...\n'),
      usersFirst: fc.boolean(),
      lineBreak: fc.constantFrom('\n' as const, '\r\n' as const),
      before: fc.constantFrom('', '---\n', '--- # start\n', '%YAML 1.1\n---\n', '# note\n'),
    });
    const values = fc.constantFrom(APPENDED, ROLES, `  ${ROLES}`, `${USERS}\n${ROLES}`, `${USERS}  \n`, USERS.slice(0, -1), `${USERS}\t- x\n`, '', '- a \n');
    fc.assert(
      fc.property(anyShape, values, (shape, value) => {
        const text = writeDocument(shape, USERS);
        const parsed = parseAwsAuth(text, { sourceName: 'test' });
        const spliced = spliceBlockValue(text, parsed, 'mapUsers', value);
        if (spliced !== undefined) expect(spliced).toBe(writeWithTree(text, 'mapUsers', value));
      }),
      { numRuns: 2000 },
    );
  });

  it('is what writeDataValue uses by default', () => {
    const text = writeDocument({ keyColumn: 2, step: 2, header: '|', after: '', usersFirst: false, lineBreak: '\n' }, USERS);
    const parsed = parseAwsAuth(text, { sourceName: 'test' });
    expect(writeDataValue(text, parsed, 'mapUsers', APPENDED)).toBe(spliceBlockValue(text, parsed, 'mapUsers', APPENDED));
    expect(writeDataValue(text, parsed, 'mapUsers', APPENDED)).toBe(`${text}    - userarn: arn:aws:iam::111122223333:user/b\n      username: b\n`);
  });

  it.each([
    ['a CRLF document', { lineBreak: '\r\n' as const }],
    ['a strip header', { header: '|-' }],
    ['a header comment', { header: '| # note' }],
    ['a blank line after the block', { after: '\n' }],
    ['a repeated key', { after: 'mapUsers: |\n  - x\n' }],
    ['no final line break', { after: 'tail' }],
    ['a second document', { after: '---\nkind: Other\n' }],
    ['a directive', { before: '%YAML 1.1\n---\n' }],
  ])('declines %s', (_name, change) => {
    const shape: Shape = { keyColumn: 2, step: 2, header: '|', after: '', usersFirst: true, lineBreak: '\n', ...change };
    const text = writeDocument(shape, USERS);
    expect(spliceBlockValue(text, parseAwsAuth(text, { sourceName: 'test' }), 'mapUsers', APPENDED)).toBeUndefined();
  });

  it('takes a leading document marker', () => {
    const text = writeDocument({ keyColumn: 2, step: 2, header: '|', after: '', usersFirst: false, lineBreak: '\n', before: '---\n' }, USERS);
    const spliced = spliceBlockValue(text, parseAwsAuth(text, { sourceName: 'test' }), 'mapUsers', APPENDED);
    expect(spliced).toBeDefined();
    expect(spliced).toBe(writeWithTree(text, 'mapUsers', APPENDED));
  });

  it('declines a missing key', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\ndata:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/r\n      username: r\n';
    expect(spliceBlockValue(text, parseAwsAuth(text, { sourceName: 'test' }), 'mapUsers', USERS)).toBeUndefined();
  });
});
