import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../arn/identity.js';
import { presignGetCallerIdentity } from '../token/index.js';
import { stsThrottling } from '../token/errors.js';
import { generateSelfSignedCertificate } from './certificate.js';
import { createAuthenticateHandler, type AuthenticateRequest, type MapIdentity, type TokenVerifierLike } from './handler.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
import { MAX_REUSABLE_BODY_BYTES } from './response-cache.js';
import { createCachingVerifier } from './token-cache.js';
import { createWebhook, type Webhook } from './webhook.js';

const signedAt = new Date('2026-03-01T12:00:00Z');
const MINUTE = 60 * 1000;

const alice: Identity = {
  arn: 'arn:aws:iam::111122223333:user/alice',
  canonicalArn: 'arn:aws:iam::111122223333:user/alice',
  accountId: '111122223333',
  userId: 'AIDAALICE',
  sessionName: '',
  accessKeyId: 'AKIDEXAMPLE',
  stsEndpoint: 'sts.us-west-2.amazonaws.com',
};

async function tokenFor(clusterId = 'test'): Promise<string> {
  const presigned = await presignGetCallerIdentity({
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    region: 'us-west-2',
    clusterId,
    now: signedAt,
  });
  return presigned.token;
}

const review = (token: string): string => JSON.stringify({ apiVersion: 'authentication.k8s.io/v1beta1', kind: 'TokenReview', spec: { token } });

function post(body: string): AuthenticateRequest {
  return { method: 'POST', path: '/authenticate', body: Buffer.from(body), remoteAddress: '127.0.0.1:40000', requestId: 'req-1' };
}

/**
 * A handler with the response cache over a real token cache. The inner verifier accepts every token
 * as alice unless `state.sts` names a failure, and the mapper maps alice to `username`. Counts STS calls,
 * mapper calls and token-cache lookups, and captures the log lines.
 */
function setup() {
  const state = {
    now: signedAt,
    generation: 1 as number | undefined,
    username: 'alice',
    reusable: true,
    sts: 'ok' as 'ok' | 'denied' | 'throttled',
    stsCalls: 0,
    mapCalls: 0,
  };
  const lookups: string[] = [];
  const inner: TokenVerifierLike = {
    async verify() {
      state.stsCalls++;
      if (state.sts === 'throttled') throw stsThrottling('Rate exceeded');
      if (state.sts === 'denied') throw new Error('sts getCallerIdentity failed: denied');
      return alice;
    },
  };
  const tokenCache = createCachingVerifier(inner, {
    clock: () => state.now,
    partition: 'aws',
    region: '',
    onLookup: (result) => lookups.push(result),
  });
  const mapIdentity: MapIdentity = async () => {
    state.mapCalls++;
    return { ok: true, user: { username: state.username, groups: ['devs'], source: 'file', kind: 'user' }, reusable: state.reusable };
  };
  const lines: string[] = [];
  const metrics = createWebhookMetrics({ defaultMetrics: false });
  const handler = createAuthenticateHandler({
    verifier: tokenCache,
    mapIdentity,
    metrics,
    logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
    responseCache: { tokenCache, mappingGeneration: () => state.generation },
  });
  return { handler, state, lookups, lines, metrics };
}

async function successCount(metrics: WebhookMetrics): Promise<number> {
  const data = await metrics.authenticateRequests.get();
  return data.values.find((value) => value.labels['result'] === 'success')?.value ?? 0;
}

function usernameOf(body: string): unknown {
  return (JSON.parse(body) as { status: { user: { username?: string } } }).status.user.username;
}

describe('response cache in the handler', () => {
  it('serves a repeated body without mapping', async () => {
    const { handler, state, lookups, metrics } = setup();
    const body = review(await tokenFor());
    const first = await handler(post(body));
    await handler(post(body));
    const third = await handler(post(body));

    expect(third).toEqual(first);
    expect(state.mapCalls).toBe(2);
    expect(state.stsCalls).toBe(1);
    expect(lookups).toEqual(['miss', 'hit', 'hit']);
    expect(await successCount(metrics)).toBe(3);
  });

  it('logs the same fields on a hit', async () => {
    const { handler, lines } = setup();
    const body = review(await tokenFor());
    await handler(post(body));
    await handler(post(body));
    await handler(post(body));

    const [missed, reused] = [lines[1], lines[2]].map((line) => JSON.parse(line ?? '{}') as Record<string, unknown>);
    expect(reused).toMatchObject({ msg: 'access granted', result: 'success', status: 200, requestId: 'req-1', username: 'alice' });
    expect(Object.keys(reused ?? {}).sort()).toEqual(Object.keys(missed ?? {}).sort());
    expect({ ...reused, time: 0, durationMs: 0 }).toEqual({ ...missed, time: 0, durationMs: 0 });
  });

  it('mapping change invalidates the cache', async () => {
    const { handler, state } = setup();
    const body = review(await tokenFor());
    await handler(post(body));
    await handler(post(body));

    state.username = 'alice-renamed';
    state.generation = 2;
    const reply = await handler(post(body));
    expect(usernameOf(reply.body)).toBe('alice-renamed');
    expect(state.mapCalls).toBe(3);
  });

  it('expired token window is not served', async () => {
    const { handler, state } = setup();
    const body = review(await tokenFor());
    await handler(post(body));
    await handler(post(body));

    state.now = new Date(signedAt.getTime() + 15 * MINUTE + 1);
    state.sts = 'denied';
    const reply = await handler(post(body));
    expect(reply.status).toBe(403);
    expect(state.stsCalls).toBe(2);
  });

  it('different body is not served', async () => {
    const { handler, state } = setup();
    const token = await tokenFor();
    await handler(post(review(token)));
    await handler(post(review(token)));

    // The same token with different bytes decodes on the uncached path.
    await handler(post(` ${review(token)}`));
    expect(state.mapCalls).toBe(3);
  });

  it('hostile bodies never get the cached answer', async () => {
    const { handler, state } = setup();
    const token = await tokenFor();
    const body = review(token);
    await handler(post(body));
    await handler(post(body));
    state.sts = 'denied';

    const forged = review(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    expect((await handler(post(forged))).status).toBe(403);
    expect((await handler(post(body.slice(0, -1)))).status).toBe(400);
    expect((await handler({ ...post(body), method: 'GET' })).status).toBe(405);
    expect((await handler(post(body))).status).toBe(200);
  });

  it('errors are never cached', async () => {
    const { handler, state } = setup();
    const body = review(await tokenFor());
    state.sts = 'throttled';
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await handler(post(body))).status).toBe(429);
    }
    expect(state.stsCalls).toBe(3);
  });

  it('non-reusable mapping is not cached', async () => {
    const { handler, state } = setup();
    state.reusable = false;
    const body = review(await tokenFor());
    for (let attempt = 0; attempt < 3; attempt++) await handler(post(body));
    expect(state.mapCalls).toBe(3);
  });

  it('large body is not cached', async () => {
    const { handler, state } = setup();
    const token = await tokenFor();
    const body = JSON.stringify({ kind: 'TokenReview', metadata: { name: 'x'.repeat(MAX_REUSABLE_BODY_BYTES) }, spec: { token } });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await handler(post(body))).status).toBe(200);
    }
    expect(state.mapCalls).toBe(3);
  });

  it('untracked mappings disable the cache', async () => {
    const { handler, state } = setup();
    state.generation = undefined;
    const body = review(await tokenFor());
    for (let attempt = 0; attempt < 3; attempt++) await handler(post(body));
    expect(state.mapCalls).toBe(3);
  });

  it('change during mapping is not stored', async () => {
    const { handler, state } = setup();
    const body = review(await tokenFor());
    await handler(post(body));
    const mapped = state.mapCalls;
    state.generation = 2;
    // The generation moves while the second request maps, as a file reload would.
    const pending = handler(post(body));
    state.generation = 3;
    await pending;
    await handler(post(body));
    expect(state.mapCalls).toBe(mapped + 2);
  });
});

describe('response cache in createWebhook', () => {
  const pair = generateSelfSignedCertificate();
  let dir: string;
  let sts: Server;
  let stsCalls = 0;
  let webhook: Webhook;
  const awsAuth = (username: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapUsers: |
    - userarn: arn:aws:iam::111122223333:user/alice
      username: ${username}
`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubeiam-response-cache-'));
    sts = createServer((_request, response) => {
      stsCalls++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          GetCallerIdentityResponse: {
            GetCallerIdentityResult: { Account: '111122223333', Arn: alice.arn, UserId: alice.userId },
            ResponseMetadata: { RequestId: 'r' },
          },
        }),
      );
    });
    await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
    writeFileSync(join(dir, 'aws-auth.yaml'), awsAuth('alice'));
    webhook = await createWebhook({
      clusterId: 'test',
      region: 'us-west-2',
      stsOverride: `http://127.0.0.1:${(sts.address() as AddressInfo).port}`,
      clock: () => signedAt,
      awsAuthFile: join(dir, 'aws-auth.yaml'),
      pollIntervalMs: 20,
      tls: pair,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await webhook.close();
    await new Promise((resolve) => sts.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function send(method: string, path: string, body = ''): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = httpsRequest({ host: '127.0.0.1', port: webhook.server.port, method, path, ca: pair.cert, agent: false }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  it('aws-auth reload invalidates reused responses', async () => {
    const body = review(await tokenFor());
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(usernameOf((await send('POST', '/authenticate', body)).body)).toBe('alice');
    }
    const metrics = (await send('GET', '/metrics')).body;
    expect(metrics).toContain('kubeiam_token_cache_lookups_total{result="hit"} 2');
    expect(metrics).toContain('kubeiam_authenticate_requests_total{result="success"} 3');
    expect(stsCalls).toBe(1);

    writeFileSync(join(dir, 'aws-auth.yaml'), awsAuth('alice-renamed'));
    const deadline = Date.now() + 5000;
    let username: unknown = 'alice';
    while (username === 'alice' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      username = usernameOf((await send('POST', '/authenticate', body)).body);
    }
    expect(username).toBe('alice-renamed');
    expect(stsCalls).toBe(1);
  });
});
