import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromArn } from '../../src/mapping/identity.js';
import { createEksConfigMapSource, followAwsAuth, watchAwsAuth, type AwsAuthEvent, type AwsAuthWatch, type EksConfigMapSource, type KubeError } from '../../src/kube/index.js';
import { ACCOUNT_ID, seedAwsAuth, startCluster, type ClusterFixture } from './support.js';

const ALICE = `arn:aws:iam::${ACCOUNT_ID}:user/alice`;
const mapUsers = (username: string): string => `- userarn: ${ALICE}\n  username: ${username}\n  groups:\n  - viewers\n`;

/** Polls until `condition` holds; fails after `attempts` × 20 ms so a lost event cannot hang the suite. */
async function until(condition: () => boolean, attempts = 250): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not reached');
}

describe('watchAwsAuth events', () => {
  let cluster: ClusterFixture;
  let watch: AwsAuthWatch;
  const events: AwsAuthEvent[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    watch = watchAwsAuth({ kubeConfig: (await cluster.connect()).cluster.kubeConfig, onEvent: (event) => events.push(event), retryDelayMs: 10 });
    await until(() => cluster.server.openWatches() === 1);
    seedAwsAuth(cluster.server, { mapUsers: mapUsers('alice') });
    // Another ConfigMap in kube-system must not reach the watch (field selector).
    cluster.server.store.create('kube-system', { metadata: { name: 'coredns' }, data: { Corefile: '.' } });
    const live = cluster.server.store.get('kube-system', 'aws-auth');
    cluster.server.store.replace('kube-system', 'aws-auth', { ...live, data: { mapUsers: mapUsers('alice-2') } });
    cluster.server.store.delete('kube-system', 'aws-auth');
    await until(() => events.length >= 3);
  });

  afterAll(async () => {
    await watch.stop();
    await cluster.close();
  });

  it('watchAwsAuth sees ADDED MODIFIED DELETED', () => {
    expect(events.map((event) => event.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('watchAwsAuth MODIFIED carries the new text', () => {
    const modified = events[1];
    expect(modified?.type === 'MODIFIED' ? modified.text : '').toContain('username: alice-2');
  });

  it('watchAwsAuth ignores other configmaps', () => {
    expect(events.every((event) => event.configMap.name === 'aws-auth')).toBe(true);
  });
});

describe('EKSConfigMap source', () => {
  let cluster: ClusterFixture;
  let source: EksConfigMapSource;
  const failures: KubeError[] = [];
  const alice = identityFromArn(ALICE);

  beforeAll(async () => {
    cluster = await startCluster();
    source = createEksConfigMapSource({ kubeConfig: (await cluster.connect()).cluster.kubeConfig, onWatchFailure: (error) => failures.push(error), retryDelayMs: 10 });
    await until(() => cluster.server.openWatches() === 1);
  });

  afterAll(async () => {
    await source.stop();
    await cluster.close();
  });

  it('source before any event maps nothing', () => {
    expect(source.map(alice)).toBeUndefined();
  });

  it('source ADDED installs mappings', async () => {
    seedAwsAuth(cluster.server, { mapUsers: mapUsers('alice'), mapAccounts: `- "${ACCOUNT_ID}"\n` });
    await until(() => source.map(alice) !== undefined);
    expect(source.map(alice)?.username).toBe('alice');
    expect(source.isAccountAllowed(ACCOUNT_ID)).toBe(true);
  });

  it('source MODIFIED replaces mappings', async () => {
    const live = cluster.server.store.get('kube-system', 'aws-auth');
    cluster.server.store.replace('kube-system', 'aws-auth', { ...live, data: { mapUsers: mapUsers('alice-2') } });
    await until(() => source.map(alice)?.username === 'alice-2');
    expect(source.isAccountAllowed(ACCOUNT_ID)).toBe(false);
  });

  it('source reconnects after dropped stream', async () => {
    cluster.server.dropWatches();
    const live = cluster.server.store.get('kube-system', 'aws-auth');
    // Written while no watch is open: the reconnect resumes from the last resourceVersion seen.
    cluster.server.store.replace('kube-system', 'aws-auth', { ...live, data: { mapUsers: mapUsers('alice-3') } });
    await until(() => source.map(alice)?.username === 'alice-3');
    expect(failures).toHaveLength(0);
  });

  it('source counts failed reconnects', async () => {
    cluster.server.failWatches(2);
    cluster.server.dropWatches();
    await until(() => cluster.server.openWatches() === 1);
    expect(failures).toHaveLength(2);
    expect(failures[0]?.message).toContain('watching configmap kube-system/aws-auth failed');
  });

  it('source recovers after failures', async () => {
    const live = cluster.server.store.get('kube-system', 'aws-auth');
    cluster.server.store.replace('kube-system', 'aws-auth', { ...live, data: { mapUsers: mapUsers('alice-4') } });
    await until(() => source.map(alice)?.username === 'alice-4');
    expect(source.map(alice)?.username).toBe('alice-4');
  });

  it('source expired watch sees a delete', async () => {
    expect(source.map(alice)?.username).toBe('alice-4');
    cluster.server.dropWatches();
    // The history with the DELETED event is compacted away, so the watch resumes with 410 Expired
    // and only the GET of the resync can tell that aws-auth is gone.
    cluster.server.store.delete('kube-system', 'aws-auth');
    cluster.server.store.compact();
    await until(() => source.map(alice) === undefined);
    expect(source.map(alice)).toBeUndefined();
  });

  it('source DELETED while disconnected clears mappings', async () => {
    seedAwsAuth(cluster.server, { mapUsers: mapUsers('alice-6') });
    await until(() => source.map(alice)?.username === 'alice-6');
    cluster.server.dropWatches();
    // Only a watch that resumes from the last resourceVersion sees this delete: a fresh watch
    // would start with the current state, in which aws-auth does not exist.
    cluster.server.store.delete('kube-system', 'aws-auth');
    await until(() => source.map(alice) === undefined);
    expect(source.map(alice)).toBeUndefined();
  });
});

describe('followAwsAuth', () => {
  let cluster: ClusterFixture;
  let watch: AwsAuthWatch;
  const calls: string[] = [];
  let failures = 0;

  beforeAll(async () => {
    cluster = await startCluster();
    watch = followAwsAuth({
      kubeConfig: (await cluster.connect()).cluster.kubeConfig,
      retryDelayMs: 10,
      target: {
        load: (text) => calls.push(`load ${text.includes('username: alice') ? 'alice' : 'other'}`),
        clear: () => calls.push('clear'),
        recordError: (error) => calls.push(error.message.startsWith('watching configmap kube-system/aws-auth failed') ? 'error' : `unexpected ${error.message}`),
      },
      onWatchFailure: () => {
        failures += 1;
      },
    });
    await until(() => cluster.server.openWatches() === 1);
    seedAwsAuth(cluster.server, { mapUsers: mapUsers('alice') });
    await until(() => calls.length === 1);
    cluster.server.failWatches(1);
    cluster.server.dropWatches();
    await until(() => cluster.server.openWatches() === 1);
    cluster.server.store.delete('kube-system', 'aws-auth');
    await until(() => calls.includes('clear'));
  });

  afterAll(async () => {
    await watch.stop();
    await cluster.close();
  });

  it('followAwsAuth loads, records and clears', () => {
    expect(calls).toEqual(['load alice', 'error', 'clear']);
  });

  it('followAwsAuth reports the failed watch', () => {
    expect(failures).toBe(1);
  });
});
