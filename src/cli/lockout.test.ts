import { describe, expect, it } from 'vitest';
import { configMapYaml } from '../awsauth/testing.js';
import { findLockouts } from './lockout.js';

const NODE_ROLES = ['arn:aws:iam::111122223333:role/nodes-a', 'arn:aws:iam::111122223333:role/nodes-b'];
const ADMIN = 'arn:aws:iam::111122223333:role/admin';

function nodeEntry(arn: string): string {
  return `- rolearn: ${arn}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;
}

const ADMIN_ENTRY = `- rolearn: ${ADMIN}\n  username: admin\n  groups:\n    - system:masters\n`;
const BEFORE = configMapYaml({ mapRoles: NODE_ROLES.map(nodeEntry).join('') + ADMIN_ENTRY });

describe('findLockouts', () => {
  it('finds nothing for an added entry', async () => {
    const after = configMapYaml({ mapRoles: `${NODE_ROLES.map(nodeEntry).join('')}${ADMIN_ENTRY}- rolearn: arn:aws:iam::111122223333:role/new\n  username: new\n` });
    expect(await findLockouts(BEFORE, after, [ADMIN])).toEqual([]);
  });

  it('reports each removed node role', async () => {
    const after = configMapYaml({ mapRoles: ADMIN_ENTRY });
    const violations = await findLockouts(BEFORE, after, []);
    expect(violations.map((violation) => violation.arn)).toEqual(NODE_ROLES);
    expect(violations.map((violation) => violation.reason)).toEqual(['node', 'node']);
    expect(violations.map((violation) => violation.after)).toEqual([undefined, undefined]);
  });

  it('reports a protected role that loses a group', async () => {
    const after = configMapYaml({ mapRoles: `${NODE_ROLES.map(nodeEntry).join('')}- rolearn: ${ADMIN}\n  username: admin\n  groups:\n    - viewers\n` });
    const violations = await findLockouts(BEFORE, after, [ADMIN]);
    expect(violations.map((violation) => [violation.arn, violation.reason])).toEqual([[ADMIN, 'protected']]);
    expect(violations[0]?.before.groups).toEqual(['system:masters']);
    expect(violations[0]?.after?.username).toBe('admin');
    expect(violations[0]?.after?.groups).toEqual(['viewers']);
  });

  it('finds nothing without probes', async () => {
    const before = configMapYaml({ mapUsers: '- userarn: arn:aws:iam::111122223333:user/u\n  username: u\n' });
    expect(await findLockouts(before, configMapYaml({ mapUsers: '[]' }), [])).toEqual([]);
  });
});
