import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../src/arn/identity.js';
import { IamRegistry } from '../../src/emulator/registry.js';
import { startStsEmulator, type StsEmulator } from '../../src/emulator/server.js';
import { presignGetCallerIdentity } from '../../src/token/presign.js';
import { generateSelfSignedCertificate } from '../../src/webhook/certificate.js';
import { createWebhook, type Webhook } from '../../src/webhook/webhook.js';
import { ACCOUNT_ID, startCluster, type ClusterFixture } from './support.js';

// kubeiam's webhook with the CRD backend: IAMIdentityMappings in the test API server, synced by the
// controller, decide TokenReviews. The first suite replays aws-iam-authenticator's server test
// cases (CRD variants) with a stub verifier; the second follows live changes with real tokens.

interface Review {
  readonly status: number;
  readonly body: string;
}

const ACCOUNT = '0123456789012';

function mappingBody(name: string, arn: string, username: string, groups: readonly string[]): Record<string, unknown> {
  return { apiVersion: 'iamauthenticator.k8s.aws/v1alpha1', kind: 'IAMIdentityMapping', metadata: { name }, spec: { arn, username, groups } };
}

function reviewBody(token: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1beta1', kind: 'TokenReview', spec: { token } }));
}

/** Renders the reference server's success body: uid from account and principal ID, extra from the identity. */
function successBody(username: string, uid: string, groups: readonly string[], id: Identity): string {
  const groupsMember = groups.length > 0 ? `"groups":${JSON.stringify(groups)},` : '';
  return (
    `{"metadata":{},"spec":{},"status":{"authenticated":true,"user":{"username":"${username}","uid":"${uid}",${groupsMember}` +
    `"extra":{"accessKeyId":["${id.accessKeyId}"],"arn":["${id.arn}"],"canonicalArn":["${id.canonicalArn}"],` +
    `"principalId":["${id.userId}"],"sessionName":["${id.sessionName}"],` +
    `"sigs.k8s.io/aws-iam-authenticator/principalId":["${id.userId}"]}}}}\n`
  );
}

/** Polls until `condition` holds; fails after `attempts` × 20 ms so a lost event cannot hang the suite. */
async function until(condition: () => boolean | Promise<boolean>, attempts = 250): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not reached');
}

// The reference's CRD variants build the identity without an access key ID, so extra.accessKeyId is "".
const identities: Record<string, Identity> = {
  role: { arn: `arn:aws:iam::${ACCOUNT}:role/Test`, canonicalArn: `arn:aws:iam::${ACCOUNT}:role/Test`, accountId: ACCOUNT, userId: 'Test', sessionName: 'TestSession', accessKeyId: '', stsEndpoint: 'sts.amazonaws.com' },
  user: { arn: `arn:aws:iam::${ACCOUNT}:user/Test`, canonicalArn: `arn:aws:iam::${ACCOUNT}:user/Test`, accountId: ACCOUNT, userId: 'Test', sessionName: 'TestSession', accessKeyId: '', stsEndpoint: 'sts.amazonaws.com' },
  assumed: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Test/extra`, canonicalArn: `arn:aws:iam::${ACCOUNT}:role/Test`, accountId: ACCOUNT, userId: 'Test', sessionName: 'extra', accessKeyId: '', stsEndpoint: 'sts.amazonaws.com' },
  node: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/TestNodeRole/i-0c6f21bf1f24f9708`, canonicalArn: `arn:aws:iam::${ACCOUNT}:role/TestNodeRole`, accountId: ACCOUNT, userId: 'TestNodeRole', sessionName: 'i-0c6f21bf1f24f9708', accessKeyId: '', stsEndpoint: 'sts.amazonaws.com' },
  reserved: { arn: `arn:aws:iam::${ACCOUNT}:user/Reserved`, canonicalArn: `arn:aws:iam::${ACCOUNT}:user/Reserved`, accountId: ACCOUNT, userId: 'Reserved', sessionName: '', accessKeyId: '', stsEndpoint: 'sts.amazonaws.com' },
};

describe('webhook CRD backend: reference cases', () => {
  let cluster: ClusterFixture;
  let webhook: Webhook;
  let accounts: Webhook;

  const review = async (target: Webhook, token: string): Promise<Review> => {
    const response = await target.handler({ method: 'POST', path: '/authenticate', body: reviewBody(token) });
    return { status: response.status, body: response.body };
  };

  beforeAll(async () => {
    cluster = await startCluster();
    const store = cluster.server.mappings;
    store.create(mappingBody('test-role', `arn:aws:iam::${ACCOUNT}:role/test`, 'TestUser', ['sys:admin', 'listers']));
    store.create(mappingBody('test-user', `arn:aws:iam::${ACCOUNT}:user/test`, 'TestUser', ['sys:admin', 'listers']));
    store.create(mappingBody('test-node', `arn:aws:iam::${ACCOUNT}:role/TestNodeRole`, 'system:node:{{EC2PrivateDNSName}}', ['system:nodes', 'system:bootstrappers']));
    store.create(mappingBody('reserved', `arn:aws:iam::${ACCOUNT}:user/Reserved`, 'system:masters-impostor', []));
    // The token names the identity; the stub verifier returns it.
    const verifier = { verify: async (token: string) => identities[token.replace('k8s-aws-v1.', '')] ?? Promise.reject(new Error('unknown token')) };
    const common = {
      clusterId: 'reference',
      kubernetes: { kubeconfig: cluster.kubeconfig },
      tokenCache: false as const,
      tls: generateSelfSignedCertificate(),
      port: 0,
      logger: pino({ level: 'silent' }),
    };
    webhook = await createWebhook(
      { ...common, backendModes: ['CRD'], reservedPrefixConfig: { CRD: ['system:masters'] } },
      { verifier, lookupPrivateDns: async (instanceId) => (instanceId === 'i-0c6f21bf1f24f9708' ? 'ip-172-31-27-14' : Promise.reject(new Error('no such instance'))) },
    );
    // An empty CRD mapper ahead of a MountedFile account allow-list, as in the reference's account case.
    accounts = await createWebhook({ ...common, backendModes: ['CRD', 'MountedFile'], mounted: { mapAccounts: [ACCOUNT] } }, { verifier });
    await until(() => store.list().every((mapping) => mapping.status !== undefined), 1000);
    // The store has every status before the webhook's watch delivers it, so wait on the webhook itself.
    await until(async () => {
      const mapped = await Promise.all(['role', 'user', 'node'].map(async (name) => (await review(webhook, `k8s-aws-v1.${name}`)).status));
      return mapped.every((status) => status === 200) && (await review(webhook, 'k8s-aws-v1.reserved')).status === 403;
    }, 1000);
  });

  afterAll(async () => {
    await webhook?.close();
    await accounts?.close();
    await cluster?.close();
  });

  it('role mapping gets 200', async () => {
    const id = identities['role'] as Identity;
    const reply = await review(webhook, 'k8s-aws-v1.role');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(successBody('TestUser', `aws-iam-authenticator:${ACCOUNT}:Test`, ['sys:admin', 'listers'], id));
  });

  it('user mapping gets 200', async () => {
    const id = identities['user'] as Identity;
    const reply = await review(webhook, 'k8s-aws-v1.user');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(successBody('TestUser', `aws-iam-authenticator:${ACCOUNT}:Test`, ['sys:admin', 'listers'], id));
  });

  it('node mapping renders the private DNS name', async () => {
    const id = identities['node'] as Identity;
    const reply = await review(webhook, 'k8s-aws-v1.node');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(successBody('system:node:ip-172-31-27-14', `aws-iam-authenticator:${ACCOUNT}:TestNodeRole`, ['system:nodes', 'system:bootstrappers'], id));
  });

  it('reserved prefix of CRD denies', async () => {
    expect((await review(webhook, 'k8s-aws-v1.reserved')).status).toBe(403);
  });

  it('assumed role maps by canonical ARN', async () => {
    const reply = await review(webhook, 'k8s-aws-v1.assumed');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ status: { user: { username: 'TestUser' } } });
  });

  it.each([
    ['user', `arn:aws:iam::${ACCOUNT}:user/Test`],
    ['assumed', `arn:aws:iam::${ACCOUNT}:role/Test`],
  ])('account mapping after empty CRD: %s', async (name, username) => {
    cluster.server.mappings.list().forEach((mapping) => cluster.server.mappings.delete(mapping.metadata.name));
    await until(async () => (await review(accounts, `k8s-aws-v1.${name}`)).body.includes(`"username":"${username}"`));
    const id = identities[name] as Identity;
    const reply = await review(accounts, `k8s-aws-v1.${name}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(successBody(username, `aws-iam-authenticator:${ACCOUNT}:Test`, [], id));
  });
});

describe('webhook CRD backend: live changes', () => {
  const ALICE = `arn:aws:iam::${ACCOUNT_ID}:user/alice`;
  let cluster: ClusterFixture;
  let emulator: StsEmulator;
  let webhook: Webhook;
  let token: string;

  const review = async (): Promise<{ status: number; username: string | undefined }> => {
    const response = await webhook.handler({ method: 'POST', path: '/authenticate', body: reviewBody(token) });
    const parsed = JSON.parse(response.body) as { status?: { user?: { username?: string } } };
    return { status: response.status, username: parsed.status?.user?.username };
  };

  const watchFailures = async (): Promise<number> => {
    const data = await webhook.metrics.mappingSourceErrors.get();
    return data.values.find((value) => value.labels['source'] === 'CRD' && value.labels['key'] === 'watch')?.value ?? 0;
  };

  beforeAll(async () => {
    cluster = await startCluster();
    const registry = new IamRegistry();
    registry.addAccount({ id: ACCOUNT_ID });
    registry.createUser({ name: 'alice', accountId: ACCOUNT_ID });
    const keys = registry.createAccessKey('alice', { accountId: ACCOUNT_ID });
    emulator = await startStsEmulator({ registry });
    // The first watch fails: the backend must count it, retry and still follow changes.
    cluster.server.failWatches(1);
    // The token cache stays on, so whole responses are reused while the mapping generation holds.
    webhook = await createWebhook({
      clusterId: 'live',
      region: 'us-east-1',
      stsOverride: emulator.url,
      backendModes: ['CRD'],
      kubernetes: { kubeconfig: cluster.kubeconfig },
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

  it('denies before a mapping exists', async () => {
    expect((await review()).status).toBe(403);
  });

  it('failed watch is counted and retried', async () => {
    // The watch retry waits 5 s, as the EKSConfigMap watch does.
    await until(() => cluster.server.openWatches() === 1, 500);
    expect(await watchFailures()).toBe(1);
  });

  it('maps once a mapping is created', async () => {
    cluster.server.mappings.create(mappingBody('alice', ALICE, 'alice', ['viewers']));
    await until(async () => (await review()).status === 200);
    expect(await review()).toEqual({ status: 200, username: 'alice' });
  });

  it('follows a change of the mapping', async () => {
    const live = cluster.server.mappings.get('alice');
    cluster.server.mappings.replace('alice', { ...live, spec: { ...live.spec, username: 'alice-2' } });
    await until(async () => (await review()).username === 'alice-2');
    expect(await review()).toEqual({ status: 200, username: 'alice-2' });
  });

  it('denies again after the mapping is deleted', async () => {
    cluster.server.mappings.delete('alice');
    await until(async () => (await review()).status === 403);
    expect((await review()).status).toBe(403);
  });
});
