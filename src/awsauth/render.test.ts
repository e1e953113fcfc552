import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from './parse.js';
import { listEntries } from './render.js';
import { configMapYaml, readFixture } from './testing.js';

describe('listEntries', () => {
  it('fixture rows', () => {
    expect(listEntries(parseAwsAuth(readFixture('aws-auth.yaml'), { sourceName: 't' }))).toEqual([
      {
        kind: 'role',
        arn: 'arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6',
        username: 'system:node:{{EC2PrivateDNSName}}',
        groups: ['system:bootstrappers', 'system:nodes'],
        key: 'mapRoles',
        index: 0,
        line: 8,
        status: 'active',
      },
      { kind: 'user', arn: 'arn:aws:iam::555555555555:user/admin', username: 'admin', groups: ['system:masters'], key: 'mapUsers', index: 0, line: 14, status: 'active' },
      { kind: 'account', arn: '555555555555', username: '', groups: [], key: 'mapAccounts', index: 0, line: 19, status: 'active' },
    ]);
  });

  it('marks shadowed, rejected and SSO entries', () => {
    const text = configMapYaml({
      mapRoles: '- rolearn: arn:aws:iam::1:role/a\n  username: old\n- rolearn: arn:aws:iam::1:role/a\n  username: new\n- sso: {permissionSetName: A, accountID: "111122223333"}\n  username: s\n- username: nothing\n',
    });
    const rows = listEntries(parseAwsAuth(text, { sourceName: 't' }));
    expect(rows.map((row) => [row.arn, row.status])).toEqual([
      ['arn:aws:iam::1:role/a', 'shadowed'],
      ['arn:aws:iam::1:role/a', 'active'],
      ['arn:aws:iam::111122223333:role/awsreservedsso_a_*', 'active'],
      ['', 'rejected'],
    ]);
  });
});
