import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/awsauth/edit.js';
import { readAwsAuth, updateAwsAuth, type LiveConfigMap } from '../../src/kube/index.js';
import { ACCOUNT_ID, NODE_ROLE_MAP_ROLES, seedAwsAuth, startCluster, type ClusterFixture } from './support.js';

const userArn = (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:user/${name}`;

describe('updateAwsAuth against the test API server', () => {
  let cluster: ClusterFixture;
  let after: LiveConfigMap | undefined;
  let conflictsSeen = 0;

  beforeAll(async () => {
    cluster = await startCluster();
    seedAwsAuth(cluster.server, { mapRoles: NODE_ROLE_MAP_ROLES, other: 'kept as is\n' });
    cluster.server.store.replace('kube-system', 'aws-auth', {
      ...cluster.server.store.get('kube-system', 'aws-auth'),
      metadata: { ...cluster.server.store.get('kube-system', 'aws-auth').metadata, labels: { team: 'platform' }, annotations: { note: 'x' } },
    });
    const names = Array.from({ length: 10 }, (_, index) => `writer-${index}`);
    const results = await Promise.all(names.map(async (name) =>
      updateAwsAuth(await cluster.connect(), async (text) => {
        const result = addUser(text, { userarn: userArn(name), username: name, groups: ['viewers'] });
        return { text: result.text, value: result.action };
      }, { sleep: async () => undefined }),
    ));
    conflictsSeen = results.reduce((total, result) => total + result.conflicts, 0);
    after = await readAwsAuth(await cluster.connect());
  });

  afterAll(async () => {
    await cluster.close();
  });

  it('updateAwsAuth keeps every concurrent edit', () => {
    for (let index = 0; index < 10; index++) expect(after?.data['mapUsers']).toContain(userArn(`writer-${index}`));
  });

  it('updateAwsAuth retried on conflicts', () => {
    expect(conflictsSeen).toBeGreaterThan(0);
  });

  it('updateAwsAuth server counted the conflicts', () => {
    expect(cluster.server.conflicts()).toBe(conflictsSeen);
  });

  it('updateAwsAuth keeps other data keys', () => {
    expect(after?.data['other']).toBe('kept as is\n');
  });

  it('updateAwsAuth keeps mapRoles text', () => {
    expect(after?.data['mapRoles']).toBe(NODE_ROLE_MAP_ROLES);
  });

  it('updateAwsAuth keeps labels', () => {
    expect(after?.labels).toEqual({ team: 'platform' });
  });

  it('updateAwsAuth keeps annotations', () => {
    expect(after?.annotations).toEqual({ note: 'x' });
  });
});

describe('updateAwsAuth on a missing ConfigMap', () => {
  let cluster: ClusterFixture;

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    await cluster.close();
  });

  it('readAwsAuth missing returns undefined', async () => {
    expect(await readAwsAuth(await cluster.connect())).toBeUndefined();
  });

  it('updateAwsAuth missing creates it', async () => {
    const result = await updateAwsAuth(await cluster.connect(), async (text) => ({ text: addUser(text, { userarn: userArn('first'), username: 'first' }).text, value: undefined }));
    expect(result.before).toBeUndefined();
    expect(result.after?.data['mapUsers']).toContain(userArn('first'));
  });

  it('updateAwsAuth unchanged writes nothing', async () => {
    const before = cluster.server.store.resourceVersion;
    const result = await updateAwsAuth(await cluster.connect(), async (text) => ({ text, value: undefined }));
    expect(result.after).toBeUndefined();
    expect(cluster.server.store.resourceVersion).toBe(before);
  });

  it('updateAwsAuth gives up after max attempts', async () => {
    const connection = await cluster.connect();
    let round = 0;
    const attempt = updateAwsAuth(connection, async (text) => {
      // Another writer changes the ConfigMap between every read and write.
      const live = cluster.server.store.get('kube-system', 'aws-auth');
      cluster.server.store.replace('kube-system', 'aws-auth', { ...live, data: { ...live.data, round: String(round++) } });
      return { text: addUser(text, { userarn: userArn('late'), username: 'late' }).text, value: undefined };
    }, { maxAttempts: 3, sleep: async () => undefined });
    await expect(attempt).rejects.toMatchObject({ code: 'KUBE_CONFLICT_RETRIES_EXHAUSTED' });
  });
});
