import { describe, expect, it } from 'vitest';
import type { Identity } from '../arn/identity.js';
import { awsAuthAdapter } from './awsauth-adapter.js';
import { createWebhookMetrics } from './metrics.js';
import { createReloadingSource, type ReloadingSource } from './source.js';

/** The shape of aws-iam-authenticator's `aws-auth.yaml` test fixture. */
const awsAuth = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
  mapUsers: |
    - userarn: arn:aws:iam::555555555555:user/admin
      username: admin
      groups:
        - system:masters
  mapAccounts: |
    - 555555555555
`;

/** Top-level data keys are case-sensitive, so `maproles` and friends are ignored. */
const lowerCaseTopKeys = awsAuth.replace('mapRoles:', 'maproles:').replace('mapUsers:', 'mapusers:').replace('mapAccounts:', 'mapaccounts:');

/** Without the `|`, mapRoles is a YAML list, not a string, and the API server rejects the ConfigMap. */
const missingBar = awsAuth.replace('mapRoles: |', 'mapRoles:');

const NODE_ROLE = 'arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6';

function identity(canonicalArn: string, accountId = '555555555555'): Identity {
  return { arn: canonicalArn, canonicalArn, accountId, userId: 'AIDA', sessionName: '', accessKeyId: '', stsEndpoint: '' };
}

function createSource(keepLastGood: boolean): ReloadingSource {
  return createReloadingSource({
    name: 'aws-auth.yaml',
    ...awsAuthAdapter({ name: 'aws-auth.yaml', reservedPrefixes: [], ssoRoleMatch: false }),
    keepLastGood,
    metrics: createWebhookMetrics({ defaultMetrics: false }),
  });
}

/** aws-auth.yaml with an unquoted `{{SessionName}}` (a YAML flow mapping) that breaks mapRoles. */
const rolesBroken = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::555555555555:role/dev
      username: {{SessionName}}
  mapUsers: |
    - userarn: arn:aws:iam::555555555555:user/ops
      username: ops
`;

describe('aws-auth adapter', () => {
  it('loads the reference fixture', () => {
    const source = createSource(false);
    source.load(awsAuth);

    expect(source.map(identity(NODE_ROLE))).toMatchObject({
      kind: 'role',
      username: 'system:node:{{EC2PrivateDNSName}}',
      groups: ['system:bootstrappers', 'system:nodes'],
    });
    expect(source.map(identity('arn:aws:iam::555555555555:user/admin'))).toMatchObject({ username: 'admin' });
    expect(source.isAccountAllowed('555555555555')).toBe(true);
    expect(source.status().problems).toEqual([]);
  });

  it('ignores lower-case top-level keys', () => {
    const source = createSource(false);
    source.load(lowerCaseTopKeys);

    expect(source.map(identity(NODE_ROLE))).toBeUndefined();
    expect(source.isAccountAllowed('555555555555')).toBe(false);
    expect(source.status().state).toBe('loaded');
  });

  it('broken mapRoles loads empty by default', () => {
    const source = createSource(false);
    source.load(awsAuth);
    source.load(rolesBroken);

    expect(source.map(identity(NODE_ROLE))).toBeUndefined();
    expect(source.map(identity('arn:aws:iam::555555555555:user/ops'))).toMatchObject({ username: 'ops' });
    expect(source.map(identity('arn:aws:iam::555555555555:user/admin'))).toBeUndefined();
    expect(source.isAccountAllowed('555555555555')).toBe(false);
    expect(source.status().brokenKeys).toEqual(['mapRoles']);
    expect(source.status().problems.map((problem) => problem.key)).toContain('mapRoles');
  });

  it('broken mapRoles keeps its last good entries', () => {
    const source = createSource(true);
    source.load(awsAuth);
    source.load(rolesBroken);

    expect(source.map(identity(NODE_ROLE))).toMatchObject({ username: 'system:node:{{EC2PrivateDNSName}}' });
    expect(source.map(identity('arn:aws:iam::555555555555:user/ops'))).toMatchObject({ username: 'ops' });
    expect(source.map(identity('arn:aws:iam::555555555555:user/admin'))).toBeUndefined();
    expect(source.isAccountAllowed('555555555555')).toBe(false);
    expect(source.status().keptKeys).toEqual(['mapRoles']);
  });

  it.each([[false], [true]])('invalid ConfigMap keeps the last version (keepLastGood %s)', (keepLastGood) => {
    const source = createSource(keepLastGood);
    source.load(awsAuth);
    source.load(missingBar);

    expect(source.map(identity('arn:aws:iam::555555555555:user/admin'))).toMatchObject({ username: 'admin' });
    expect(source.status().lastError).toMatch(/^the new version is not valid: /);
  });
});
