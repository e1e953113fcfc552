/**
 * Crafted inputs near the edges of the fast YAML reader. Each text must give the same result with and
 * without the fast reader, both as a GoValue tree and through parseAwsAuth.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseFastGoYaml } from '../../src/awsauth/fastyaml.js';
import { parseGoYamlFull, type KeyOrder } from '../../src/awsauth/goyaml.js';
import type { ParsedAwsAuth } from '../../src/awsauth/types.js';

type ParseAwsAuth = (text: string, options: { sourceName: string }) => ParsedAwsAuth;

let parseWithFastPath: ParseAwsAuth;
let parseWithoutFastPath: ParseAwsAuth;

beforeAll(async () => {
  parseWithFastPath = (await import('../../src/awsauth/parse.js')).parseAwsAuth;
  vi.resetModules();
  vi.doMock('../../src/awsauth/fastyaml.js', () => ({ parseFastGoYaml: () => undefined }));
  parseWithoutFastPath = (await import('../../src/awsauth/parse.js')).parseAwsAuth;
  vi.doUnmock('../../src/awsauth/fastyaml.js');
});

const ORDERS: readonly KeyOrder[] = ['json-object', 'document'];

/** Wraps a mapRoles body in a ConfigMap as a block literal. */
function configMap(mapRoles: string, header = '|'): string {
  const body = mapRoles
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: ${header}\n${body}`;
}

const ROLE = '- rolearn: arn:aws:iam::111122223333:role/a\n  username: a\n  groups:\n    - system:masters\n';

const TEXTS: readonly (readonly [string, string])[] = [
  ['CRLF', 'a: b\r\nc: d\r\n'],
  ['BOM', '\ufeffa: b\n'],
  ['NEL', 'a: b\u0085c\n'],
  ['line separator', 'a: b\u2028c\n'],
  ['paragraph separator', 'a: b\u2029c\n'],
  ['trailing spaces after literal header', 'a: |  \n  x\n'],
  ['literal indentation indicator', 'a: |2\n   x\n'],
  ['literal strip with indicator', 'a: |-2\n   x\n'],
  ['literal keep at end', 'a: |+\n  x\n'],
  ['literal keep with blank lines at end', 'a: |+\n  x\n\n\n'],
  ['literal keep without final newline', 'a: |+\n  x\n\n'],
  ['literal header comment', 'a: |  # comment\n  x\n'],
  ['comment at lower indent in literal', 'a:\n  b: |\n      x\n    # c\n      y\n'],
  ['comment at lower indent after literal', 'a:\n  b: |\n      x\n  # c\n  d: e\n'],
  ['document marker in literal', 'a: |\n  x\n  ---\n  y\n'],
  ['document end in literal', 'a: |\n  x\n  ...\n'],
  ['document marker after literal', 'a: |\n  x\n---\nb: c\n'],
  ['tab after value', 'a: b\t\n'],
  ['entry with spaces only', '- \n'],
  ['entry with many spaces', '-    \n'],
  ['entry of only dash', 'a:\n  -\n'],
  ['value of only dash', 'a: -\n'],
  ['key without space', 'key:value\n'],
  ['entry key without space', '- key:value\n'],
  ['doubled single quote', "a: 'it''s'\n"],
  ['escaped double quote', 'a: "a\\"b"\n'],
  ['hash in double quotes', 'a: "x #y"\n'],
  ['hash in single quotes', "a: 'x #y'\n"],
  ['hash in plain', 'a: a#b\n'],
  ['comment after plain', 'a: a #b\n'],
  ['colon space in plain', 'a: x: y\n'],
  ['colon in plain', 'a: x:y\n'],
  ['colon at plain end', 'a: xy:\n'],
  ['duplicate keys', 'a: b\na: c\n'],
  ['duplicate keys nested', 'x:\n  a: b\n  c: d\n  a: e\n'],
  ['key y', 'y: a\n'],
  ['key on', 'on: a\n'],
  ['key tilde', '~: a\n'],
  ['key hex', '0x1F: a\n'],
  ['key exponent', '1e3: a\n'],
  ['key inf', '.inf: a\n'],
  ['key date', '2001-12-14: a\n'],
  ['key equals', '=: a\n'],
  ['value equals', 'a: =\n'],
  ['value y', 'a: y\n'],
  ['value hex', 'a: 0x1F\n'],
  ['value exponent', 'a: 1e3\n'],
  ['value inf', 'a: .inf\n'],
  ['value date', 'a: 2001-12-14\n'],
  ['value date time', 'a: 2001-12-14t21:59:43.10-05:00\n'],
  ['value leading zero', 'a: 0777\n'],
  ['value eight', 'a: 08\n'],
  ['value dot', 'a: .\n'],
  ['value sign', 'a: +\n'],
  ['value underscore', 'a: _\n'],
  ['value 1_0', 'a: 1_0\n'],
  ['value 1:20', 'a: 1:20\n'],
  ['value 190:20:30', 'a: 190:20:30\n'],
  ['value -1:20', 'a: -1:20\n'],
  ['value 1.0.0', 'a: 1.0.0\n'],
  ['value ._', 'a: ._\n'],
  ['value 0b', 'a: 0b\n'],
  ['value 0o', 'a: 0o\n'],
  ['value +0x1', 'a: +0x1\n'],
  ['value 6digits', 'a: 123456\n'],
  ['value longletter', 'a: nullable\n'],
  ['flow sequence of specials', 'a: [y, ~, 1e3, x]\n'],
  ['flow sequence trailing comma', 'a: [x, y,]\n'],
  ['flow sequence nested', 'a: [x, [y]]\n'],
  ['flow sequence colon', 'a: [x:y, b]\n'],
  ['flow sequence colon end', 'a: [x:, b]\n'],
  ['flow sequence parens', 'a: [f(x), $y, ^z, ~w]\n'],
  ['flow sequence quoted comma', 'a: ["x,y"]\n'],
  ['flow sequence empty quoted', 'a: ["", \'\']\n'],
  ['flow sequence with spaces', 'a: [ x , y ]\n'],
  ['flow sequence no spaces', 'a: [x,y]\n'],
  ['flow sequence hash', 'a: [x] #c\n'],
  ['flow sequence hash no space', 'a: [x]#c\n'],
  ['very long line', `a: ${'x'.repeat(200_000)}\n`],
  ['very long key', `${'k'.repeat(1100)}: v\n`],
  ['key of 256', `${'k'.repeat(256)}: v\n`],
  ['key of 257', `${'k'.repeat(257)}: v\n`],
  ['entry key of 300', `- ${'k'.repeat(300)}: v\n`],
  ['entry key of 300 bare', `- ${'k'.repeat(300)}:\n`],
  ['deep nesting', `${Array.from({ length: 200 }, (_, depth) => `${' '.repeat(depth)}k${depth}:`).join('\n')} v\n`],
  ['deep sequences', `${Array.from({ length: 150 }, (_, depth) => `${' '.repeat(depth * 2)}- k:`).join('\n')} v\n`],
  ['non-ASCII key', 'ключ: v\n'],
  ['non-ASCII value', 'a: ключ\n'],
  ['NBSP after value', 'a: b\u00a0\n'],
  ['NBSP before hash', 'a: b\u00a0#c\n'],
  ['ideographic space', 'a: \u3000\n'],
  ['fullwidth colon', 'a：b: c\n'],
  ['key with dot and slash', 'a.b/c-d: e\n'],
  ['key starting with digit', '1a: b\n'],
  ['key starting with dash', '-a: b\n'],
  ['key underscore', '_: b\n'],
  ['key 0', '0: b\n'],
  ['key 1_000', '1_000: b\n'],
  ['key 0.', '0.: b\n'],
  ['mixed indentation siblings', 'a:\n    b: c\n  d: e\n'],
  ['compact sequence then key', 'a:\n- x\nb: c\n'],
  ['compact sequence deeper', 'a:\n- x\n  - y\n'],
  ['entry mapping with deeper line', '- a: b\n   c: d\n'],
  ['entry wide mapping with shallow line', '-   a: b\n  c: d\n'],
  ['entry nested sequence', '- - a\n'],
  ['entry literal', '- |\n  x\n'],
  ['entry key literal', '- a: |\n    x\n  b: c\n'],
  ['entry key literal shallow', '- a: |\n   x\n'],
  ['entry key literal at entry column', '- a: |\n  x\n'],
  ['entry value hash', '- #x\n'],
  ['entry comment', '- a # c\n'],
  ['empty value key', 'a:\n'],
  ['empty value last', 'a: b\nc:\n'],
  ['comment instead of value', 'a: # c\n  b: c\n'],
  ['trailing spaces on key', 'a:   \n  b: c\n'],
  ['comment only lines', '#\n#x\n  #y\na: b\n'],
  ['blank line of spaces at end', 'a: b\n  '],
  ['no trailing newline', 'a: b'],
  ['no trailing newline literal', 'a: |\n  x'],
  ['no trailing newline literal blank', 'a: |\n  x\n'],
  ['literal with more indented first line', 'a: |\n    x\n  y\n'],
  ['literal with less indented later', 'a:\n  b: |\n    x\n   y\n'],
  ['literal with trailing blank lines then key', 'a: |\n  x\n\n\nb: c\n'],
  ['literal strip trailing blank then key', 'a: |-\n  x\n\n\nb: c\n'],
  ['literal keep trailing blank then key', 'a: |+\n  x\n\n\nb: c\n'],
  ['literal blank line inside', 'a: |\n  x\n\n  y\n'],
  ['literal comment-like content', 'a: |\n  # x\n  y\n'],
  ['literal with quotes', 'a: |\n  "x\n  \'y\n'],
  ['literal empty strip', 'a: |-\nb: c\n'],
  ['percent value', 'a: 50%\n'],
  ['at sign inside', 'a: x@y\n'],
  ['backtick inside', 'a: x`y\n'],
  ['bracket inside plain', 'a: x[0]\n'],
  ['brace inside plain', 'a: x{y}\n'],
  ['comma inside plain', 'a: x, y\n'],
  ['question inside plain', 'a: x?\n'],
  ['ampersand inside plain', 'a: x&y\n'],
  ['star inside plain', 'a: x*y\n'],
  ['exclamation inside plain', 'a: x!y\n'],
  ['double quoted key value', 'a: "b"c\n'],
  ['single quoted trailing', "a: 'b'c\n"],
  ['single quoted then comment', "a: 'b' # c\n"],
  ['single quoted hash', "a: 'b'#c\n"],
  ['double quoted empty', 'a: ""\n'],
  ['single quoted empty', "a: ''\n"],
  ['double quoted non-ASCII', 'a: "ü"\n'],
  ['double quoted unterminated', 'a: "b\n'],
  ['single quote in double', 'a: "it\'s"\n'],
  ['double in single', 'a: \'say "x"\'\n'],
  ['quoted with leading space', 'a: " b "\n'],
  ['quoted with trailing spaces after', 'a: "b"   \n'],
  ['top-level sequence', '- a\n- b\n'],
  ['top-level indented', '  a: b\n'],
  ['top-level indented second', 'a: b\n  c: d\n'],
  ['sequence sibling misaligned', 'a:\n  - x\n   - y\n'],
  ['two maps second indented less', 'a:\n    b: c\n  d: e\nf: g\n'],
  ['mapRoles usual', configMap(ROLE)],
  ['mapRoles strip', configMap(ROLE, '|-')],
  ['mapRoles keep', configMap(`${ROLE}\n\n`, '|+')],
  ['mapRoles comment between entries', configMap(`${ROLE}# between\n${ROLE}`)],
  ['mapRoles extra field', configMap(`${ROLE}  sso:\n    permissionSetName: x\n`)],
  ['mapRoles quoted ARN', configMap(`- rolearn: "arn:aws:iam::111122223333:role/a"\n  username: 'a'\n  groups: ["system:masters"]\n`)],
  ['mapRoles duplicate field', configMap(`- rolearn: arn:aws:iam::111122223333:role/a\n  rolearn: arn:aws:iam::111122223333:role/b\n  username: a\n`)],
  ['mapRoles username hash', configMap(`- rolearn: arn:aws:iam::111122223333:role/a\n  username: a #b\n`)],
  ['mapRoles username yes', configMap(`- rolearn: arn:aws:iam::111122223333:role/a\n  username: yes\n`)],
  ['mapRoles groups null', configMap(`- rolearn: arn:aws:iam::111122223333:role/a\n  username: a\n  groups: ~\n`)],
  ['mapRoles groups number', configMap(`- rolearn: arn:aws:iam::111122223333:role/a\n  username: a\n  groups: [1]\n`)],
  ['mapAccounts numbers', 'data:\n  mapAccounts: |\n    - 111122223333\n    - "444455556666"\n'],
  ['mapAccounts flow', 'data:\n  mapAccounts: "[111122223333]"\n'],
  ['bare data map', `mapRoles: |\n  ${ROLE.split('\n').join('\n  ')}\n`],
  ['mapRoles plain scalar', 'data:\n  mapRoles: x\n'],
  ['mapRoles empty literal', 'data:\n  mapRoles: |\n  mapUsers: x\n'],
  ['mapRoles literal with trailing content spaces', `data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/a   \n      username: a\n`],
  ['data key odd', 'data:\n  map_Roles: x\n  mapRoles: |\n    []\n'],
];

describe('fast YAML reader against crafted inputs', () => {
  it.each(TEXTS)('%s', (_name, text) => {
    for (const order of ORDERS) {
      const fast = parseFastGoYaml(text, order);
      if (fast !== undefined) expect(fast).toStrictEqual(parseGoYamlFull(text, order));
    }
    expect(parseWithFastPath(text, { sourceName: 'aws-auth.yaml' })).toStrictEqual(parseWithoutFastPath(text, { sourceName: 'aws-auth.yaml' }));
  });
});
