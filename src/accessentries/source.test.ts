import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../awsauth/parse.js';
import { explainIdentity } from '../mapping/explain.js';
import { mapIdentity } from '../mapping/chain.js';
import { identityFromArn } from '../mapping/identity.js';
import { createAwsAuthSource } from '../mapping/sources/awsauth.js';
import { parseAccessEntriesFile } from './file.js';
import { createAccessEntrySource, orderSourcesForMode } from './source.js';
import type { AccessEntry, AuthenticationMode } from './types.js';

const AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/dev
      username: legacy-dev
      groups:
        - legacy
    - rolearn: arn:aws:iam::111122223333:role/ops
      username: ops
      groups:
        - ops
`;

const ENTRIES: AccessEntry[] = [
  { principalArn: 'arn:aws:iam::111122223333:role/team/dev', type: 'STANDARD', username: 'dev:{{SessionName}}', kubernetesGroups: ['dev'] },
  { principalArn: 'arn:aws:iam::111122223333:user/alice', type: 'STANDARD', username: '', kubernetesGroups: [] },
  { principalArn: 'arn:aws:iam::111122223333:role/reborn', type: 'STANDARD', username: 'reborn', kubernetesGroups: [], principalId: 'AROAOLDOLDOLDOLDOLD' },
];

const DEV = identityFromArn('arn:aws:sts::111122223333:assumed-role/dev/alice');
const OPS = identityFromArn('arn:aws:sts::111122223333:assumed-role/ops/bob');

function sources(mode: AuthenticationMode) {
  const awsAuth = createAwsAuthSource(parseAwsAuth(AWS_AUTH, { sourceName: 'aws-auth.yaml' }), { name: 'aws-auth.yaml' });
  return orderSourcesForMode({ mode, accessEntries: createAccessEntrySource(ENTRIES), awsAuth });
}

async function usernameOf(identity = DEV, mode: AuthenticationMode = 'API_AND_CONFIG_MAP'): Promise<string> {
  const outcome = await mapIdentity(identity, sources(mode));
  return outcome.ok ? `${outcome.user.username} via ${outcome.user.source}` : 'denied';
}

describe('orderSourcesForMode', () => {
  it.each<[AuthenticationMode, typeof DEV, string]>([
    ['CONFIG_MAP', DEV, 'legacy-dev via aws-auth.yaml'],
    ['API_AND_CONFIG_MAP', DEV, 'dev:alice via EKS access entries'],
    ['API', DEV, 'dev:alice via EKS access entries'],
    ['CONFIG_MAP', OPS, 'ops via aws-auth.yaml'],
    ['API_AND_CONFIG_MAP', OPS, 'ops via aws-auth.yaml'],
    ['API', OPS, 'denied'],
  ])('%s maps %s', async (mode, identity, expected) => {
    expect(await usernameOf(identity, mode)).toBe(expected);
  });

  it('explain names the overridden aws-auth entry', async () => {
    const explanation = await explainIdentity(DEV, sources('API_AND_CONFIG_MAP'));
    const reasons = explanation.steps.map((step) => step.reason);
    expect(reasons).toContain('OUTRANKED');
    expect(explanation.steps.find((step) => step.reason === 'OUTRANKED')?.message).toContain('the access entry overrides it');
  });

  it('explain says API mode skips aws-auth', async () => {
    const explanation = await explainIdentity(OPS, sources('API'));
    const step = explanation.steps.find((item) => item.reason === 'AUTH_MODE_EXCLUDES');
    expect(step?.message).toContain('does not read aws-auth.yaml, so its entry for this principal does not count');
  });
});

describe('createAccessEntrySource', () => {
  it('default username for a user entry', async () => {
    const outcome = await mapIdentity(identityFromArn('arn:aws:iam::111122223333:user/alice'), [createAccessEntrySource(ENTRIES)]);
    expect(outcome.ok).toBe(true);
    expect(outcome.ok ? outcome.user.username : '').toBe('arn:aws:iam::111122223333:user/alice');
  });

  it('orphaned entry does not match', async () => {
    const caller = identityFromArn('arn:aws:sts::111122223333:assumed-role/reborn/s', { userId: 'AROANEWNEWNEWNEWNEW' });
    const explanation = await explainIdentity(caller, [createAccessEntrySource(ENTRIES)]);
    expect(explanation.outcome.ok).toBe(false);
    expect(explanation.steps[0]?.reason).toBe('USER_ID_MISMATCH');
    expect(explanation.steps[0]?.message).toContain('is orphaned');
  });

  it('same principal ID matches', async () => {
    const caller = identityFromArn('arn:aws:sts::111122223333:assumed-role/reborn/s', { userId: 'AROAOLDOLDOLDOLDOLD' });
    const outcome = await mapIdentity(caller, [createAccessEntrySource(ENTRIES)]);
    expect(outcome.ok).toBe(true);
  });
});

describe('parseAccessEntriesFile', () => {
  it('reads a DynamicFile with user IDs', () => {
    const text = JSON.stringify({ Version: '1', LastUpdatedDateTime: '1700000000', mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/x', username: 'x', groups: ['g'], userid: 'AROAX' }] });
    expect(parseAccessEntriesFile(text, 'f.json').entries).toEqual([{ principalArn: 'arn:aws:iam::111122223333:role/x', type: 'STANDARD', username: 'x', kubernetesGroups: ['g'], principalId: 'AROAX' }]);
  });

  it('reads entry list output with its mode', () => {
    const text = JSON.stringify({ authenticationMode: 'API', entries: [{ principalArn: 'arn:aws:iam::111122223333:user/a', type: 'STANDARD', username: 'a', kubernetesGroups: [], policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'cluster', namespaces: [] } }] }] });
    const parsed = parseAccessEntriesFile(text, 'f.json');
    expect(parsed.authenticationMode).toBe('API');
    expect(parsed.entries[0]?.policies?.length).toBe(1);
  });

  it.each([
    ['not JSON', '{'],
    ['numeric timestamp', '{"LastUpdatedDateTime": 1700000000}'],
    ['bad mode', '{"authenticationMode": "IAM", "entries": []}'],
    ['bad entry', '{"entries": [{"principalArn": 3}]}'],
    ['bad scope', '{"entries": [{"principalArn": "a", "policies": [{"policyArn": "p", "accessScope": {"type": "all"}}]}]}'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseAccessEntriesFile(text, 'f.json')).toThrow(/access entries file f.json is invalid/);
  });
});
