/**
 * Hostile IAMIdentityMappings against the CRD backend and the test API server. The cases are objects
 * without a spec or with an ARN that does not canonicalize, a status that someone else set to another
 * ARN, large group lists, and a deletion while the controller writes the status.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../src/arn/identity.js';
import { createIamIdentityMappingWriter, type IamIdentityMappingWriter } from '../../src/kube/iamidentitymapping-controller.js';
import { createIamIdentityMappingSource, type IamIdentityMappingSource } from '../../src/kube/iamidentitymapping-source.js';
import { loadKubeConfig } from '../../src/kube/kubeconfig.js';
import { ACCOUNT_ID, startCluster, type ClusterFixture } from '../cluster/support.js';

const ADMIN_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/Admin`;
const VIEWER_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/Viewer`;
const GONE_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/Gone`;
const GROUPS = Array.from({ length: 2000 }, (_, index) => `group-${index}`);

function identity(arn: string): Identity {
  return { arn, canonicalArn: arn, accountId: ACCOUNT_ID, userId: 'AIDAEXAMPLE', sessionName: '', accessKeyId: '', stsEndpoint: 'sts.amazonaws.com' };
}

function mapping(name: string, spec: Record<string, unknown> | undefined): Record<string, unknown> {
  return { apiVersion: 'iamauthenticator.k8s.aws/v1alpha1', kind: 'IAMIdentityMapping', metadata: { name }, ...(spec === undefined ? {} : { spec }) };
}

/** Polls until `condition` holds; fails after `attempts` × 20 ms so a lost event cannot hang the suite. */
async function until(condition: () => boolean, attempts = 250): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not reached');
}

describe('CRD backend against hostile mappings', () => {
  let cluster: ClusterFixture;
  let kubeConfig: KubeConfig;
  let source: IamIdentityMappingSource;
  const syncErrors: { name: string; requeued: boolean }[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    kubeConfig = (await loadKubeConfig({ kubeconfig: cluster.kubeconfig, env: {}, cwd: cluster.dir })).kubeConfig;
    cluster.server.mappings.create(mapping('no-spec', undefined));
    cluster.server.mappings.create(mapping('bad-arn', { arn: 'not-an-arn', username: 'bad' }));
    cluster.server.mappings.create(mapping('admin', { arn: ADMIN_ARN, username: 'admin', groups: ['system:masters'] }));
    cluster.server.mappings.create(mapping('many.groups-1', { arn: VIEWER_ARN, username: 'viewer', groups: GROUPS }));
    const real = createIamIdentityMappingWriter(kubeConfig);
    // Deletes `gone` just before its status write reaches the API server.
    const writer: IamIdentityMappingWriter = {
      async replaceStatus(target, canonicalArn) {
        if (target.name === 'gone') cluster.server.mappings.delete('gone');
        await real.replaceStatus(target, canonicalArn);
      },
      recordEvent: (target, reason, message) => real.recordEvent(target, reason, message),
    };
    cluster.server.mappings.create(mapping('gone', { arn: GONE_ARN, username: 'gone' }));
    source = createIamIdentityMappingSource({
      kubeConfig,
      writer,
      retryDelayMs: 10,
      onSyncError: (name, _error, requeued) => syncErrors.push({ name, requeued }),
    });
    await source.synced;
    await until(() => cluster.server.mappings.get('admin').status !== undefined);
    await source.controllerIdle();
  });

  afterAll(async () => {
    await source?.stop();
    await cluster?.close();
  });

  it('mappings without a usable ARN get no status', () => {
    expect(cluster.server.mappings.get('no-spec').status).toBeUndefined();
    expect(cluster.server.mappings.get('bad-arn').status).toBeUndefined();
    expect(syncErrors).toContainEqual({ name: 'no-spec', requeued: false });
    expect(syncErrors).toContainEqual({ name: 'bad-arn', requeued: false });
    expect(source.map(identity('not-an-arn'))).toBeUndefined();
  });

  it('valid mappings still map', () => {
    expect(source.map(identity(ADMIN_ARN))).toEqual({ kind: 'role', username: 'admin', groups: ['system:masters'] });
  });

  it('large group lists map whole', () => {
    expect(source.map(identity(VIEWER_ARN))?.groups).toEqual(GROUPS);
  });

  it('mapping deleted during its status write never maps', async () => {
    await until(() => syncErrors.some((error) => error.name === 'gone'));
    await source.controllerIdle();
    expect(source.map(identity(GONE_ARN))).toBeUndefined();
    expect(() => cluster.server.mappings.get('gone')).toThrow();
  });

  it('foreign status is replaced by the controller', async () => {
    const foreign = `arn:aws:iam::${ACCOUNT_ID}:role/intruder`;
    const live = cluster.server.mappings.get('admin');
    cluster.server.mappings.replaceStatus('admin', { ...live, status: { canonicalARN: foreign } });
    await until(() => cluster.server.mappings.get('admin').status?.canonicalARN !== foreign);
    await until(() => source.map(identity(foreign)) === undefined && source.map(identity(ADMIN_ARN)) !== undefined);
    expect(cluster.server.mappings.get('admin').status).toEqual({ canonicalARN: ADMIN_ARN.toLowerCase() });
    expect(source.map(identity(foreign))).toBeUndefined();
  });

  // NOTE: a status someone else wrote on a mapping whose spec.arn is empty or invalid keeps matching.
  // aws-iam-authenticator's controller (syncHandler in pkg/mapper/crd/controller/controller.go) also
  // leaves such a status, and its index reads only the status.
  it('foreign status on an invalid ARN matches as in the reference', async () => {
    const foreign = `arn:aws:iam::${ACCOUNT_ID}:role/intruder2`;
    const live = cluster.server.mappings.get('bad-arn');
    cluster.server.mappings.replaceStatus('bad-arn', { ...live, status: { canonicalARN: foreign } });
    await until(() => source.map(identity(foreign)) !== undefined);
    expect(source.map(identity(foreign))?.username).toBe('bad');
  });
});
