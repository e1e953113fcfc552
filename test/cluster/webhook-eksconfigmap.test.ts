import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamRegistry } from '../../src/emulator/registry.js';
import { startStsEmulator, type StsEmulator } from '../../src/emulator/server.js';
import { presignGetCallerIdentity } from '../../src/token/presign.js';
import { generateSelfSignedCertificate } from '../../src/webhook/certificate.js';
import { createWebhook, type Webhook } from '../../src/webhook/webhook.js';
import { ACCOUNT_ID, seedAwsAuth, startCluster, type ClusterFixture } from './support.js';

// kubeiam serve with the EKSConfigMap backend: the live kube-system/aws-auth of the test API server,
// watched, decides real TokenReviews whose tokens the STS emulator verifies.
const ALICE = `arn:aws:iam::${ACCOUNT_ID}:user/alice`;
const mapUsers = (username: string): string => `- userarn: ${ALICE}\n  username: ${username}\n  groups:\n  - viewers\n`;

describe('webhook with the EKSConfigMap backend', () => {
  let cluster: ClusterFixture;
  let emulator: StsEmulator;
  let webhook: Webhook;
  let token: string;

  beforeAll(async () => {
    cluster = await startCluster();
    const registry = new IamRegistry();
    registry.addAccount({ id: ACCOUNT_ID });
    registry.createUser({ name: 'alice', accountId: ACCOUNT_ID });
    const keys = registry.createAccessKey('alice', { accountId: ACCOUNT_ID });
    emulator = await startStsEmulator({ registry });
    webhook = await createWebhook({
      clusterId: 'live',
      region: 'us-east-1',
      stsOverride: emulator.url,
      backendModes: ['EKSConfigMap'],
      kubernetes: { kubeconfig: cluster.kubeconfig },
      tokenCache: false,
      tls: generateSelfSignedCertificate(),
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    token = (await presignGetCallerIdentity({ credentials: keys, region: 'us-east-1', clusterId: 'live', now: new Date() })).token;
  });

  afterAll(async () => {
    await webhook?.close();
    await emulator?.close();
    await cluster?.close();
  });

  async function review(): Promise<{ status: number; username: string | undefined }> {
    const body = new TextEncoder().encode(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }));
    const response = await webhook.handler({ method: 'POST', path: '/authenticate', body });
    const parsed = JSON.parse(response.body) as { status?: { user?: { username?: string } } };
    return { status: response.status, username: parsed.status?.user?.username };
  }

  async function until(expected: number, username?: string): Promise<{ status: number; username: string | undefined }> {
    let last = await review();
    for (let attempt = 0; attempt < 250 && (last.status !== expected || last.username !== username); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      last = await review();
    }
    return last;
  }

  it('denies before aws-auth exists', async () => {
    expect((await review()).status).toBe(403);
  });

  it('maps once the ConfigMap is created', async () => {
    seedAwsAuth(cluster.server, { mapUsers: mapUsers('alice') });
    expect(await until(200, 'alice')).toEqual({ status: 200, username: 'alice' });
  });

  it('follows a change of the ConfigMap', async () => {
    const live = cluster.server.store.get('kube-system', 'aws-auth');
    cluster.server.store.replace('kube-system', 'aws-auth', { ...live, data: { mapUsers: mapUsers('alice-2') } });
    expect(await until(200, 'alice-2')).toEqual({ status: 200, username: 'alice-2' });
  });

  it('denies again after the ConfigMap is deleted', async () => {
    cluster.server.store.delete('kube-system', 'aws-auth');
    expect((await until(403)).status).toBe(403);
  });
});
