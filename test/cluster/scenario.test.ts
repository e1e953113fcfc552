import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapIdentity } from '../../src/mapping/chain.js';
import { identityFromArn } from '../../src/mapping/identity.js';
import type { MapOutcome } from '../../src/mapping/types.js';
import { createEksConfigMapSource, type EksConfigMapSource } from '../../src/kube/index.js';
import { runCli, type CliResult } from '../support/cli.js';
import { ACCOUNT_ID, NODE_ROLE_MAP_ROLES, seedAwsAuth, startCluster, type ClusterFixture } from './support.js';

// The operator's story on a live cluster: designated_user is unmapped (Unauthorized), the creator
// grants it in mapUsers, and the EKSConfigMap source the webhook reads maps it at once.
const CREATOR = `arn:aws:iam::${ACCOUNT_ID}:user/cluster_creator`;
const DESIGNATED_USER = `arn:aws:iam::${ACCOUNT_ID}:user/designated_user`;

describe('scenario grant on the cluster', () => {
  let cluster: ClusterFixture;
  let source: EksConfigMapSource;
  let before: MapOutcome;
  let creatorGrant: CliResult;
  let grant: CliResult;

  const map = (arn: string): Promise<MapOutcome> => mapIdentity(identityFromArn(arn), [source]);
  const cli = (argv: readonly string[]): Promise<CliResult> =>
    runCli([...argv, '--kubeconfig', cluster.kubeconfig, '--creator', CREATOR, '--as', CREATOR], { env: cluster.env(), cwd: cluster.dir });

  beforeAll(async () => {
    cluster = await startCluster();
    seedAwsAuth(cluster.server, { mapRoles: NODE_ROLE_MAP_ROLES });
    let loaded = false;
    source = createEksConfigMapSource({
      kubeConfig: (await cluster.connect()).cluster.kubeConfig,
      retryDelayMs: 10,
      onChange: () => {
        loaded = true;
      },
    });
    // Wait (bounded) for the ADDED event of the existing aws-auth, so "unmapped" is not just "not loaded yet".
    for (let attempt = 0; attempt < 250 && !loaded; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    before = await map(DESIGNATED_USER);
    creatorGrant = await cli(['grant', 'user', CREATOR, '--username', 'creator', '--group', 'system:masters']);
    grant = await cli(['grant', 'user', DESIGNATED_USER, '--username', 'designated_user', '--group', 'system:masters']);
    for (let attempt = 0; attempt < 250 && !(await map(DESIGNATED_USER)).ok; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
  });

  afterAll(async () => {
    await source.stop();
    await cluster.close();
  });

  it('scenario designated user starts unmapped', () => {
    expect(before.ok).toBe(false);
  });

  it('scenario node role starts mapped', async () => {
    expect((await mapIdentity(identityFromArn(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/eks-node-role/i-0123456789abcdef0`), [source], {
      lookupPrivateDns: async () => 'ip-10-0-0-1.ec2.internal',
    })).ok).toBe(true);
  });

  it('scenario grant for the creator is rejected', () => {
    expect(creatorGrant.code).toBe(1);
    expect(creatorGrant.stderr).toContain('cluster creator');
  });

  it('scenario grant for designated user succeeds', () => {
    expect(grant.stderr).toBe('');
    expect(grant.code).toBe(0);
  });

  it('scenario designated user maps to system:masters', async () => {
    const outcome = await map(DESIGNATED_USER);
    expect(outcome.ok ? outcome.user.username : 'unmapped').toBe('designated_user');
    expect(outcome.ok ? outcome.user.groups : []).toEqual(['system:masters']);
  });
});
