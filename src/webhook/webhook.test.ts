import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../arn/identity.js';
import type { MapOutcome, MappingSource } from '../mapping/types.js';
import { presignGetCallerIdentity } from '../token/index.js';
import { generateSelfSignedCertificate } from './certificate.js';
import { createWebhook, type AwsAuthAdapter, type Webhook, type WebhookDependencies } from './webhook.js';

const pair = generateSelfSignedCertificate();
const now = new Date('2026-03-01T12:00:00Z');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-webhook-'));
  writeFileSync(join(dir, 'cert.pem'), pair.cert);
  writeFileSync(join(dir, 'key.pem'), pair.key);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Maps like a minimal chain: the first source with a mapping decides. */
async function chain(identity: Identity, sources: readonly MappingSource[]): Promise<MapOutcome> {
  for (const source of sources) {
    const mapping = source.map(identity);
    if (mapping !== undefined) {
      return { ok: true, user: { username: mapping.username, groups: mapping.groups, source: source.name, kind: mapping.kind } };
    }
  }
  return { ok: false, error: 'identity is not mapped' };
}

/** aws-auth stand-in: JSON `{"mapRoles": {"<canonical ARN>": "<username>"}}`, or "BROKEN". */
const toyAwsAuth: AwsAuthAdapter<Record<string, string>> = ({ name, reservedPrefixes }) => ({
  keys: ['mapRoles'],
  parse: (text) => {
    const raw = JSON.parse(text) as { mapRoles: Record<string, string> | 'BROKEN' };
    const broken = raw.mapRoles === 'BROKEN';
    return {
      document: broken ? {} : (raw.mapRoles as Record<string, string>),
      valid: true,
      brokenKeys: broken ? ['mapRoles'] : [],
      problems: broken ? [{ key: 'mapRoles', message: 'mapRoles failed to parse' }] : [],
    };
  },
  replaceKey: (_document, _key, previous) => previous,
  build: (roles) => ({
    name,
    reservedPrefixes,
    map: (identity) => {
      const username = roles[identity.canonicalArn];
      return username === undefined ? undefined : { kind: 'role', username, groups: ['devs'] };
    },
    isAccountAllowed: () => false,
  }),
});

const admin: MappingSource = {
  name: 'bootstrap',
  reservedPrefixes: [],
  map: (identity) =>
    identity.canonicalArn === 'arn:aws:iam::111122223333:role/creator'
      ? { kind: 'bootstrap', username: identity.canonicalArn, groups: ['system:masters'] }
      : undefined,
  isAccountAllowed: () => false,
};

function identityFor(role: string): Identity {
  return {
    arn: `arn:aws:sts::111122223333:assumed-role/${role}/session`,
    canonicalArn: `arn:aws:iam::111122223333:role/${role}`,
    accountId: '111122223333',
    userId: 'AROAEXAMPLE',
    sessionName: 'session',
    accessKeyId: 'ASIAEXAMPLE',
    stsEndpoint: 'sts.us-west-2.amazonaws.com',
  };
}

function post(webhook: Webhook, path: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      { host: '127.0.0.1', port: webhook.server.port, method: body === '' ? 'GET' : 'POST', path, ca: pair.cert, agent: false },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const review = (token: string): string => JSON.stringify({ kind: 'TokenReview', spec: { token } });

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('createWebhook with injected mapping', () => {
  const awsAuthFile = (): string => join(dir, 'aws-auth.json');
  let webhook: Webhook;

  beforeAll(async () => {
    writeFileSync(awsAuthFile(), JSON.stringify({ mapRoles: { 'arn:aws:iam::111122223333:role/dev': 'dev' } }));
    const dependencies: WebhookDependencies = {
      verifier: { verify: async (token) => identityFor(token.replace('k8s-aws-v1.', '')) },
      mapIdentity: chain,
      awsAuth: toyAwsAuth as AwsAuthAdapter<unknown>,
      bootstrap: () => admin,
    };
    webhook = await createWebhook(
      {
        clusterId: 'test',
        awsAuthFile: awsAuthFile(),
        bootstrapAdminArns: ['arn:aws:iam::111122223333:role/creator'],
        keepLastGood: true,
        tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') },
        port: 0,
        logger: pino({ level: 'silent' }),
      },
      dependencies,
    );
  });

  afterAll(async () => {
    await webhook.close();
  });

  it('chains bootstrap before aws-auth', () => {
    expect(webhook.sources.map((source) => source.name)).toEqual(['bootstrap', awsAuthFile()]);
  });

  it('maps through the aws-auth file', async () => {
    const reply = await post(webhook, '/authenticate', review('k8s-aws-v1.dev'));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ status: { user: { username: 'dev', groups: ['devs'] } } });
  });

  it('maps the bootstrap admin', async () => {
    const reply = await post(webhook, '/authenticate', review('k8s-aws-v1.creator'));
    expect(JSON.parse(reply.body)).toMatchObject({ status: { user: { groups: ['system:masters'] } } });
  });

  it('follows file changes and keeps the last good key', async () => {
    writeFileSync(awsAuthFile(), JSON.stringify({ mapRoles: { 'arn:aws:iam::111122223333:role/ops': 'ops' } }));
    await waitFor(async () => (await post(webhook, '/authenticate', review('k8s-aws-v1.ops'))).status === 200);
    expect((await post(webhook, '/authenticate', review('k8s-aws-v1.dev'))).status).toBe(403);

    writeFileSync(awsAuthFile(), JSON.stringify({ mapRoles: 'BROKEN' }));
    await waitFor(async () => webhook.health().status === 'degraded');
    expect((await post(webhook, '/authenticate', review('k8s-aws-v1.ops'))).status).toBe(200);

    const health = JSON.parse((await post(webhook, '/healthz?verbose')).body) as { sources: Array<Record<string, unknown>> };
    expect(health.sources[0]).toMatchObject({ brokenKeys: ['mapRoles'], keptKeys: ['mapRoles'], state: 'loaded' });
  });

  it('rejects unreadable TLS files', async () => {
    await expect(
      createWebhook(
        { clusterId: 'test', tls: { certFile: join(dir, 'missing.pem'), keyFile: join(dir, 'key.pem') }, port: 0, logger: pino({ level: 'silent' }) },
        { mapIdentity: chain },
      ),
    ).rejects.toMatchObject({ code: 'TLS_MISSING', message: expect.stringContaining('--tls-cert') });
  });
});

describe('createWebhook with the token verifier', () => {
  let sts: Server;
  let stsStatus = 200;
  let webhook: Webhook;

  beforeAll(async () => {
    sts = createServer((_request, response) => {
      if (stsStatus === 200) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            GetCallerIdentityResponse: {
              GetCallerIdentityResult: { Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/dev/s', UserId: 'AROAEXAMPLE:s' },
              ResponseMetadata: { RequestId: 'r' },
            },
          }),
        );
      } else {
        response.writeHead(stsStatus);
        response.end('<Error><Code>Throttling</Code></Error>');
      }
    });
    await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));

    webhook = await createWebhook(
      {
        clusterId: 'test',
        region: 'us-west-2',
        stsOverride: `http://127.0.0.1:${(sts.address() as AddressInfo).port}`,
        clock: () => now,
        // Each test changes the STS answer for the same token, so verifications must not be cached.
        tokenCache: false,
        tls: pair,
        port: 0,
        logger: pino({ level: 'silent' }),
      },
      { mapIdentity: async (identity) => ({ ok: true, user: { username: identity.canonicalArn, groups: [], source: 's', kind: 'account' } }) },
    );
  });

  afterAll(async () => {
    await webhook.close();
    await new Promise((resolve) => sts.close(resolve));
  });

  async function token(): Promise<string> {
    const presigned = await presignGetCallerIdentity({
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      region: 'us-west-2',
      clusterId: 'test',
      now,
    });
    return presigned.token;
  }

  it('verifies through STS and counts the response', async () => {
    stsStatus = 200;
    const reply = await post(webhook, '/authenticate', review(await token()));

    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ status: { user: { username: 'arn:aws:iam::111122223333:role/dev' } } });
    const metrics = (await post(webhook, '/metrics')).body;
    expect(metrics).toContain('aws_iam_authenticator_sts_responses_total{ResponseCode="200",StsRegion="us-west-2"} 1');
  });

  it('returns 429 when STS throttles', async () => {
    stsStatus = 400;
    const reply = await post(webhook, '/authenticate', review(await token()));

    expect(reply.status).toBe(429);
    const metrics = (await post(webhook, '/metrics')).body;
    expect(metrics).toContain('aws_iam_authenticator_sts_throttling_total{StsRegion="us-west-2"} 1');
    expect(metrics).toContain('aws_iam_authenticator_authenticate_latency_seconds_count{result="sts_throttling"} 1');
  });
});

describe('createWebhook with the real mapping chain', () => {
  let sts: Server;
  let caller = { arn: 'arn:aws:sts::111122223333:assumed-role/dev/alice', userId: 'AROAEXAMPLE:alice' };
  let webhook: Webhook;
  const awsAuthFile = (): string => join(dir, 'aws-auth.yaml');
  const awsAuth = (username: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/dev
      username: ${username}
      groups:
        - developers
`;

  beforeAll(async () => {
    sts = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          GetCallerIdentityResponse: {
            GetCallerIdentityResult: { Account: '111122223333', Arn: caller.arn, UserId: caller.userId },
            ResponseMetadata: { RequestId: 'r' },
          },
        }),
      );
    });
    await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
    writeFileSync(awsAuthFile(), awsAuth('"dev:{{SessionName}}"'));

    webhook = await createWebhook({
      clusterId: 'test',
      region: 'us-west-2',
      stsOverride: `http://127.0.0.1:${(sts.address() as AddressInfo).port}`,
      clock: () => now,
      // Each test changes the STS answer for the same token, so verifications must not be cached.
      tokenCache: false,
      awsAuthFile: awsAuthFile(),
      bootstrapAdminArns: ['arn:aws:iam::111122223333:role/creator'],
      tls: pair,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await webhook.close();
    await new Promise((resolve) => sts.close(resolve));
  });

  async function authenticate(): Promise<{ status: number; body: string }> {
    const presigned = await presignGetCallerIdentity({
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      region: 'us-west-2',
      clusterId: 'test',
      now,
    });
    return post(webhook, '/authenticate', review(presigned.token));
  }

  it('maps a role through aws-auth with templates', async () => {
    caller = { arn: 'arn:aws:sts::111122223333:assumed-role/dev/alice', userId: 'AROAEXAMPLE:alice' };
    const reply = await authenticate();

    expect(reply.status).toBe(200);
    expect(reply.body).toBe(
      '{"metadata":{},"spec":{},"status":{"authenticated":true,"user":{"username":"dev:alice",' +
        '"uid":"aws-iam-authenticator:111122223333:AROAEXAMPLE","groups":["developers"],' +
        '"extra":{"accessKeyId":["AKIDEXAMPLE"],"arn":["arn:aws:sts::111122223333:assumed-role/dev/alice"],' +
        '"canonicalArn":["arn:aws:iam::111122223333:role/dev"],"principalId":["AROAEXAMPLE"],' +
        '"sessionName":["alice"],"sigs.k8s.io/aws-iam-authenticator/principalId":["AROAEXAMPLE"]}}}}\n',
    );
  });

  it('maps the bootstrap admin to system:masters', async () => {
    caller = { arn: 'arn:aws:sts::111122223333:assumed-role/creator/bob', userId: 'AROACREATOR:bob' };
    const reply = await authenticate();

    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      status: { user: { username: 'arn:aws:iam::111122223333:role/creator', groups: ['system:masters'] } },
    });
  });

  it('denies an unmapped role', async () => {
    caller = { arn: 'arn:aws:sts::111122223333:assumed-role/other/carol', userId: 'AROAOTHER:carol' };
    expect((await authenticate()).status).toBe(403);
  });

  it('loads a broken mapRoles key empty', async () => {
    caller = { arn: 'arn:aws:sts::111122223333:assumed-role/dev/alice', userId: 'AROAEXAMPLE:alice' };
    writeFileSync(awsAuthFile(), awsAuth('{{SessionName}}'));
    await waitFor(async () => webhook.health().status === 'degraded');

    expect((await authenticate()).status).toBe(403);
    expect(webhook.health().sources[0]).toMatchObject({ brokenKeys: ['mapRoles'], keptKeys: [] });
  });
});

describe('createWebhook with configured backends', () => {
  const dynamicFile = (): string => join(dir, 'access-entries.json');
  const nodeIdentity: Identity = {
    arn: 'arn:aws:sts::0123456789012:assumed-role/TestNodeRole/i-0c6f21bf1f24f9708',
    canonicalArn: 'arn:aws:iam::0123456789012:role/TestNodeRole',
    accountId: '0123456789012',
    userId: 'TestNodeRole',
    sessionName: 'i-0c6f21bf1f24f9708',
    accessKeyId: 'ASIAEXAMPLE',
    stsEndpoint: 'sts.us-west-2.amazonaws.com',
  };
  const lookups: string[] = [];
  let webhook: Webhook;

  beforeAll(async () => {
    writeFileSync(
      dynamicFile(),
      JSON.stringify({ mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/dev', username: 'system:dev', groups: [] }, { rolearn: 'arn:aws:iam::111122223333:role/ops', username: 'ops', groups: ['ops'] }] }),
    );
    webhook = await createWebhook(
      {
        clusterId: 'test',
        backendModes: ['MountedFile', 'DynamicFile'],
        mounted: {
          mapRoles: [{ rolearn: 'arn:aws:iam::0123456789012:role/TestNodeRole', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes', 'system:bootstrappers'] }],
          mapAccounts: ['222233334444'],
        },
        dynamicFilePath: dynamicFile(),
        reservedPrefixConfig: { DynamicFile: ['system:'] },
        tls: pair,
        port: 0,
        logger: pino({ level: 'silent' }),
      },
      {
        verifier: {
          verify: async (token) => (token === 'k8s-aws-v1.node' ? nodeIdentity : identityFor(token.replace('k8s-aws-v1.', ''))),
        },
        lookupPrivateDns: async (instanceId) => {
          lookups.push(instanceId);
          return 'ip-172-31-27-14';
        },
      },
    );
  });

  afterAll(async () => {
    await webhook.close();
  });

  it('backends run in configured order', () => {
    expect(webhook.backendModes).toEqual(['MountedFile', 'DynamicFile']);
    expect(webhook.sources.map((source) => source.name)).toEqual(['MountedFile', 'DynamicFile']);
  });

  it('node mapping renders the private DNS name', async () => {
    const reply = await post(webhook, '/authenticate', review('k8s-aws-v1.node'));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      status: {
        user: {
          username: 'system:node:ip-172-31-27-14',
          uid: 'aws-iam-authenticator:0123456789012:TestNodeRole',
          groups: ['system:nodes', 'system:bootstrappers'],
        },
      },
    });
    expect(lookups).toContain('i-0c6f21bf1f24f9708');
  });

  it('dynamic file maps after mounted file', async () => {
    const reply = await post(webhook, '/authenticate', review('k8s-aws-v1.ops'));
    expect(JSON.parse(reply.body)).toMatchObject({ status: { user: { username: 'ops', groups: ['ops'] } } });
  });

  it('reserved prefix of DynamicFile denies', async () => {
    const reply = await post(webhook, '/authenticate', review('k8s-aws-v1.dev'));
    expect(reply.status).toBe(403);
  });

  it('dynamic file backend reports health', () => {
    expect(webhook.health().sources.map((source) => source.name)).toEqual(['DynamicFile']);
  });

  it('unknown backend fails the start', async () => {
    await expect(
      createWebhook({ clusterId: 'test', backendModes: ['ModeFoo'], tls: pair, port: 0, logger: pino({ level: 'silent' }) }),
    ).rejects.toThrow('backend-mode "ModeFoo" is not available in kubeiam');
  });

  it('registered EKSConfigMap factory joins the chain', async () => {
    let settings: Record<string, unknown> = {};
    const extra = await createWebhook(
      {
        clusterId: 'test',
        backendModes: ['EKSConfigMap'],
        kubernetes: { kubeconfig: '/etc/kubeiam/kubeconfig', master: 'https://127.0.0.1:6443' },
        tls: pair,
        port: 0,
        logger: pino({ level: 'silent' }),
      },
      {
        backendFactories: {
          EKSConfigMap: async (context) => {
            settings = { ...context.settings };
            return {
              source: { name: context.name, reservedPrefixes: [], map: () => undefined, isAccountAllowed: () => true },
              close: async () => undefined,
            };
          },
        },
      },
    );
    try {
      expect(extra.sources.map((source) => source.name)).toEqual(['EKSConfigMap']);
      expect(settings['kubeconfig']).toBe('/etc/kubeiam/kubeconfig');
      expect(settings['master']).toBe('https://127.0.0.1:6443');
    } finally {
      await extra.close();
    }
  });
});
