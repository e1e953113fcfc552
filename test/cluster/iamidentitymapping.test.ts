import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../src/arn/identity.js';
import type { KubeError } from '../../src/kube/errors.js';
import { createIamIdentityMappingSource, type IamIdentityMappingSource } from '../../src/kube/iamidentitymapping-source.js';
import type { IamIdentityMappingEvent } from '../../src/kube/iamidentitymapping.js';
import { loadKubeConfig } from '../../src/kube/kubeconfig.js';
import { ACCOUNT_ID, startCluster, type ClusterFixture } from './support.js';

// The CRD backend's informer, controller and index against the test API server.
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/Admin`;
const USER_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/Alice`;

function identity(arn: string, canonicalArn = arn): Identity {
  return { arn, canonicalArn, accountId: ACCOUNT_ID, userId: 'AIDAEXAMPLE', sessionName: '', accessKeyId: '', stsEndpoint: 'sts.amazonaws.com' };
}

function body(name: string, arn: string, username: string, groups: string[] = ['viewers']): Record<string, unknown> {
  return { apiVersion: 'iamauthenticator.k8s.aws/v1alpha1', kind: 'IAMIdentityMapping', metadata: { name }, spec: { arn, username, groups } };
}

/** Polls until `condition` holds; fails after `attempts` × 20 ms so a lost event cannot hang the suite. */
async function until(condition: () => boolean, attempts = 250): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not reached');
}

async function kubeConfigOf(cluster: ClusterFixture): Promise<KubeConfig> {
  return (await loadKubeConfig({ kubeconfig: cluster.kubeconfig, env: {}, cwd: cluster.dir })).kubeConfig;
}

describe('IAMIdentityMapping source', () => {
  let cluster: ClusterFixture;
  let source: IamIdentityMappingSource;
  const events: IamIdentityMappingEvent[] = [];
  const failures: KubeError[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    cluster.server.mappings.create(body('admin', ROLE_ARN, 'admin', ['system:masters']));
    // Fails the first watch: the source must report it, list again and still follow changes.
    cluster.server.failWatches(1);
    source = createIamIdentityMappingSource({
      kubeConfig: await kubeConfigOf(cluster),
      reservedPrefixes: ['system:node'],
      retryDelayMs: 10,
      onChange: (event) => events.push(event),
      onWatchFailure: (error) => failures.push(error),
    });
    await source.synced;
    await until(() => cluster.server.mappings.get('admin').status !== undefined && cluster.server.openWatches() === 1);
  });

  afterAll(async () => {
    await source.stop();
    await cluster.close();
  });

  it('controller writes status.canonicalARN', () => {
    expect(cluster.server.mappings.get('admin').status).toEqual({ canonicalARN: `arn:aws:iam::${ACCOUNT_ID}:role/admin` });
  });

  it('controller records the Synced event', () => {
    const recorded = cluster.server.events.list('default');
    expect(recorded.map((event) => [event.involvedObject?.name, event.involvedObject?.kind, event.reason, event.message, event.type])).toEqual([
      ['admin', 'IAMIdentityMapping', 'Synced', 'Identity synced successfully', 'Normal'],
    ]);
  });

  it('failed watch is reported and retried', () => {
    expect(failures.length).toBe(1);
    expect(failures[0]?.status).toBe(500);
  });

  it('role identity maps', () => {
    expect(source.map(identity(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/Admin/session`, ROLE_ARN))).toEqual({ kind: 'role', username: 'admin', groups: ['system:masters'] });
  });

  it('accounts are never allowed', () => {
    expect(source.isAccountAllowed(ACCOUNT_ID)).toBe(false);
  });

  it('reserved prefixes are kept', () => {
    expect(source.reservedPrefixes).toEqual(['system:node']);
  });

  it('added mapping maps once synced', async () => {
    cluster.server.mappings.create(body('alice', USER_ARN, 'alice'));
    await until(() => source.map(identity(USER_ARN)) !== undefined);
    expect(source.map(identity(USER_ARN))).toEqual({ kind: 'user', username: 'alice', groups: ['viewers'] });
  });

  it('modified mapping maps the new username', async () => {
    const live = cluster.server.mappings.get('alice');
    cluster.server.mappings.replace('alice', { ...live, spec: { ...live.spec, username: 'alice-2' } });
    await until(() => source.map(identity(USER_ARN))?.username === 'alice-2');
    expect(source.map(identity(USER_ARN))?.username).toBe('alice-2');
  });

  it('changed ARN leaves the old identity', async () => {
    const live = cluster.server.mappings.get('alice');
    cluster.server.mappings.replace('alice', { ...live, spec: { ...live.spec, arn: `arn:aws:iam::${ACCOUNT_ID}:user/Carol` } });
    await until(() => source.map(identity(`arn:aws:iam::${ACCOUNT_ID}:user/Carol`)) !== undefined);
    expect(source.map(identity(USER_ARN))).toBeUndefined();
  });

  it('deleted mapping stops matching', async () => {
    cluster.server.mappings.delete('alice');
    await until(() => events.some((event) => event.type === 'DELETED' && event.mapping.name === 'alice'));
    expect(source.map(identity(`arn:aws:iam::${ACCOUNT_ID}:user/Carol`))).toBeUndefined();
  });

  it('expired watch lists again', async () => {
    const changesBefore = events.length;
    cluster.server.mappings.compact();
    cluster.server.dropWatches();
    // Deleted while no watch is open; only the new list can reveal it.
    cluster.server.mappings.delete('admin');
    await until(() => events.length > changesBefore);
    expect(events.slice(changesBefore).map((event) => [event.type, event.mapping.name])).toEqual([['DELETED', 'admin']]);
    expect(source.map(identity(ROLE_ARN))).toBeUndefined();
  });

  it('ERROR event is reported and retried', async () => {
    const failuresBefore = failures.length;
    cluster.server.failWatchStreams(1);
    cluster.server.dropWatches();
    await until(() => failures.length > failuresBefore && cluster.server.openWatches() === 1);
    expect(failures.slice(failuresBefore).map((failure) => failure.status)).toEqual([500]);
    expect(failures.at(-1)?.message).toContain('watch failed on purpose');
  });

  it('smallest name wins a shared ARN', async () => {
    cluster.server.mappings.create(body('zz-ops', USER_ARN, 'zz'));
    cluster.server.mappings.create(body('aa-ops', USER_ARN, 'aa'));
    await until(() => cluster.server.mappings.get('zz-ops').status !== undefined && cluster.server.mappings.get('aa-ops').status !== undefined);
    await until(() => source.map(identity(USER_ARN))?.username === 'aa');
    expect(source.map(identity(USER_ARN))?.username).toBe('aa');
  });
});

describe('IAMIdentityMapping without the CRD', () => {
  let cluster: ClusterFixture;

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    await cluster.close();
  });

  it('list 404 names the missing CRD', async () => {
    const kubeConfig = await kubeConfigOf(cluster);
    // A server path prefix makes every request of the source a 404, as for an API server without the CRD.
    kubeConfig.clusters = kubeConfig.clusters.map((entry) => ({ ...entry, server: `${entry.server}/no-such-prefix` }));
    const failures: KubeError[] = [];
    const source = createIamIdentityMappingSource({ kubeConfig, retryDelayMs: 10, onWatchFailure: (error) => failures.push(error) });
    await until(() => failures.length > 0);
    await source.stop();
    expect(failures[0]?.status).toBe(404);
    expect(failures[0]?.message).toContain('install the IAMIdentityMapping CustomResourceDefinition (deploy/iamidentitymapping.yaml)');
  });
});

describe('IAMIdentityMapping without status', () => {
  let cluster: ClusterFixture;
  let source: IamIdentityMappingSource;

  beforeAll(async () => {
    cluster = await startCluster();
    cluster.server.mappings.create(body('pending', USER_ARN, 'pending'));
    const upper = cluster.server.mappings.create(body('upper', ROLE_ARN, 'upper'));
    // A status written by someone else in mixed case: the lookup compares exact strings.
    cluster.server.mappings.replaceStatus('upper', { ...upper, status: { canonicalARN: ROLE_ARN } });
    source = createIamIdentityMappingSource({
      kubeConfig: await kubeConfigOf(cluster),
      retryDelayMs: 10,
      // A controller whose writes never land, as when it lacks RBAC for the status subresource.
      writer: { replaceStatus: async () => undefined, recordEvent: async () => undefined },
    });
    await source.synced;
    await source.controllerIdle();
  });

  afterAll(async () => {
    await source.stop();
    await cluster.close();
  });

  it('mapping without status never matches', () => {
    expect(source.map(identity(USER_ARN))).toBeUndefined();
  });

  it('mixed-case status never matches', () => {
    expect(source.map(identity(ROLE_ARN))).toBeUndefined();
  });
});
