import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';

const NODE_ROLE = 'arn:aws:iam::111122223333:role/nodes';
const NODE_ENTRY = `    - rolearn: ${NODE_ROLE}
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
`;

/** Builds an aws-auth document with the node role, and optionally its whole account in mapAccounts. */
function awsAuth(withAccount: boolean): string {
  const accounts = withAccount ? '  mapAccounts: |\n    - "111122223333"\n' : '';
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
${NODE_ENTRY}${accounts}`;
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-lockout-message-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function revokeNodeRole(withAccount: boolean, lang: string) {
  const file = join(dir, 'aws-auth.yaml');
  writeFileSync(file, awsAuth(withAccount));
  const result = await runCli(['--lang', lang, 'revoke', 'role', NODE_ROLE, '--file', file]);
  expect(readFileSync(file, 'utf8')).toBe(awsAuth(withAccount));
  return result;
}

describe('lock-out message', () => {
  it('names an unmapped node role in English', async () => {
    const result = await revokeNodeRole(false, 'en');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${NODE_ROLE} (node role): system:node:ip-10-0-0-1.ec2.internal [system:bootstrappers, system:nodes] -> unmapped.`);
  });

  it('says the account mapping leaves no groups', async () => {
    const result = await revokeNodeRole(true, 'en');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`-> ${NODE_ROLE} with no groups.`);
  });

  it('translates the reason and the outcome', async () => {
    const unmapped = await revokeNodeRole(false, 'zh-CN');
    expect(unmapped.stderr).toContain(`${NODE_ROLE}（节点角色）：`);
    expect(unmapped.stderr).toContain('-> 未映射。');

    const noGroups = await revokeNodeRole(true, 'zh-CN');
    expect(noGroups.stderr).toContain(`-> ${NODE_ROLE}（没有任何组）。`);
    expect(noGroups.stderr).not.toContain('(node');
    expect(noGroups.stderr).not.toContain('with no groups');
  });
});
