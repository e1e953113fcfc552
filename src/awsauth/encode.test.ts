import { describe, expect, it } from 'vitest';
import { encodeMap } from './encode.js';
import { goYamlScalar } from './quote.js';

describe('goYamlScalar', () => {
  it.each([
    ['plain', 'system:masters', 'system:masters'],
    ['template inside', 'system:node:{{EC2PrivateDNSName}}', 'system:node:{{EC2PrivateDNSName}}'],
    ['template first', '{{SessionName}}', "'{{SessionName}}'"],
    ['account ID', '012345678912', '"012345678912"'],
    ['boolean word', 'yes', '"yes"'],
    ['single letter boolean', 'n', '"n"'],
    ['empty', '', '""'],
    ['null word', 'null', '"null"'],
    ['base 60', '1:20', '"1:20"'],
    ['date', '2001-01-01', '"2001-01-01"'],
    ['colon space', 'a: b', "'a: b'"],
    ['hash after space', 'a #b', "'a #b'"],
    ['leading dash', '- x', "'- x'"],
    ['trailing colon', 'a:', "'a:'"],
    ['quote inside', "it's: x", "'it''s: x'"],
    ['tab', 'a\tb', '"a\\tb"'],
    ['line break', 'a\nb', '"a\\nb"'],
  ])('%s', (_name, value, expected) => {
    expect(goYamlScalar(value)).toBe(expected);
  });
});

describe('encodeMap', () => {
  it('empty lists are left out', () => {
    expect(encodeMap([], [], [])).toEqual({});
  });

  it('role without groups and with user ID', () => {
    expect(encodeMap([], [{ rolearn: 'arn:aws:iam::1:role/a', username: '', groups: [], userid: 'AROA1' }], [])).toEqual({
      mapRoles: '- rolearn: arn:aws:iam::1:role/a\n  username: ""\n  groups: []\n  userid: AROA1\n',
    });
  });

  it('SSO entry without partition', () => {
    const encoded = encodeMap([], [{ rolearn: '', sso: { permissionSetName: 'A', accountID: '012345678912', partition: '' }, username: 'a', groups: ['g'] }], []);
    expect(encoded['mapRoles']).toBe('- sso:\n    permissionSetName: A\n    accountID: "012345678912"\n  username: a\n  groups:\n  - g\n');
  });

  it('accounts are quoted', () => {
    expect(encodeMap([], [], ['555555555555'])).toEqual({ mapAccounts: '- "555555555555"\n' });
  });

  it('user keeps field order', () => {
    expect(encodeMap([{ userarn: 'arn:aws:iam::1:user/a', username: '{{AccountID}}', groups: ['x'] }], [], [])).toEqual({
      mapUsers: "- userarn: arn:aws:iam::1:user/a\n  username: '{{AccountID}}'\n  groups:\n  - x\n",
    });
  });
});
