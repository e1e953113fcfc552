import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../arn/identity.js';
import { presignGetCallerIdentity } from '../token/index.js';
import { stsThrottling } from '../token/errors.js';
import { generateSelfSignedCertificate } from './certificate.js';
import {
  createAuthenticateHandler,
  type AuthenticateHandler,
  type AuthenticateRequest,
  type MapIdentity,
  type TokenVerifierLike,
} from './handler.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
import { MAX_REUSABLE_BODY_BYTES } from './response-cache.js';
import { startWebhookServer, type WebhookServer } from './server.js';
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
function setup(clock?: () => number) {
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
    ...(clock === undefined ? {} : { clock }),
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

/** Returns the counts a successful request raises: requests, latency observations and token-cache hits. */
async function successCounts(metrics: WebhookMetrics, lookups: readonly string[]) {
  const latency = await metrics.authenticateLatency.get();
  const observed = latency.values.find((value) => value.metricName?.endsWith('_count') === true && value.labels['result'] === 'success');
  return {
    requests: await successCount(metrics),
    latency: observed?.value ?? 0,
    hits: lookups.filter((lookup) => lookup === 'hit').length,
  };
}

/** Parses a log line and blanks `time`, which differs between any two lines. */
function logFields(line: string | undefined): Record<string, unknown> {
  return { ...(JSON.parse(line ?? '{}') as Record<string, unknown>), time: 0 };
}

describe('synchronous reuse in the handler', () => {
  it('tryReuse matches the async reuse', async () => {
    const { handler, lines, lookups, metrics } = setup(() => 0);
    const body = review(await tokenFor());
    await handler(post(body));
    await handler(post(body));
    const primed = await successCounts(metrics, lookups);

    const reusedAsync = await handler(post(body));
    const afterAsync = await successCounts(metrics, lookups);
    const reusedSync = handler.tryReuse?.(post(body));
    const afterSync = await successCounts(metrics, lookups);

    expect(reusedSync).toBe(reusedAsync);
    expect(lines).toHaveLength(4);
    expect(logFields(lines[3])).toEqual(logFields(lines[2]));
    expect(afterAsync).toEqual({ requests: primed.requests + 1, latency: primed.latency + 1, hits: primed.hits + 1 });
    expect(afterSync).toEqual({ requests: primed.requests + 2, latency: primed.latency + 2, hits: primed.hits + 2 });
  });

  it('tryReuse misses without recording', async () => {
    const { handler, lines, lookups, metrics } = setup();
    const body = review(await tokenFor());

    expect(handler.tryReuse?.(post(body))).toBeUndefined();
    expect(lines).toHaveLength(0);
    expect(lookups).toEqual([]);
    expect(await successCount(metrics)).toBe(0);
  });

  it('tryReuse misses after a mapping change', async () => {
    const { handler, state, lines } = setup();
    const body = review(await tokenFor());
    await handler(post(body));
    await handler(post(body));
    expect(handler.tryReuse?.(post(body))).toBeDefined();

    state.generation = 2;
    expect(handler.tryReuse?.(post(body))).toBeUndefined();
    expect(lines).toHaveLength(3);
  });

  it('tryReuse misses after the window expires', async () => {
    const { handler, state, lines } = setup();
    const body = review(await tokenFor());
    await handler(post(body));
    await handler(post(body));

    state.now = new Date(signedAt.getTime() + 15 * MINUTE + 1);
    expect(handler.tryReuse?.(post(body))).toBeUndefined();
    expect(lines).toHaveLength(2);
  });

  it('tryReuse is absent without a response cache', () => {
    const handler = createAuthenticateHandler({
      verifier: { verify: async () => alice },
      mapIdentity: async () => ({ ok: false, error: 'unmapped' }),
      metrics: createWebhookMetrics({ defaultMetrics: false }),
      logger: pino({ level: 'silent' }),
    });
    expect(handler.tryReuse).toBeUndefined();
  });
});

interface RawReply {
  /** Status line and headers without `Date`, then the body, exactly as sent. */
  readonly bytes: string;
  readonly status: number;
}

/** Sends one request over a fresh TLS connection and returns the raw response without its Date header. */
function sendRaw(port: number, ca: string, head: string, body: string | Buffer): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca }, () => {
      socket.write(head);
      socket.end(body);
    });
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const bytes = received.replace(/\r\nDate: [^\r]*/i, '');
      resolve({ bytes, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0) });
    });
  });
}

/** Sends a request head and part of its body, then closes the connection once the server has the bytes. */
function sendPartial(port: number, ca: string, head: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca }, () => {
      socket.write(head + body, () => setTimeout(() => socket.destroy(), 50));
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

function postHead(body: string | Buffer, headers = ''): string {
  return `POST /authenticate HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}\r\n`;
}

describe('synchronous reuse in the server', () => {
  const pair = generateSelfSignedCertificate();
  const ca = pair.cert.toString();
  let harness: ReturnType<typeof setup>;
  const calls = { async: 0, sync: 0 };
  /** Serves hits through `tryReuse`. */
  let syncServer: WebhookServer;
  /** Serves every request through the async handler, as a handler without `tryReuse` would. */
  let asyncServer: WebhookServer;
  let serverLines: string[];

  beforeAll(async () => {
    harness = setup(() => 0);
    const inner = harness.handler;
    const counted: AuthenticateHandler = Object.assign(
      (request: AuthenticateRequest) => {
        calls.async++;
        return inner(request);
      },
      {
        tryReuse: (request: AuthenticateRequest) => {
          calls.sync++;
          return inner.tryReuse?.(request);
        },
      },
    );
    serverLines = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void serverLines.push(line) });
    const common = { metrics: harness.metrics, logger, tls: pair, port: 0, maxBodyBytes: 4096 };
    syncServer = await startWebhookServer({ ...common, handler: counted });
    asyncServer = await startWebhookServer({ ...common, handler: (request) => inner(request) });
  });

  afterAll(async () => {
    await syncServer.close();
    await asyncServer.close();
  });

  /** Blanks the fields that differ between two requests of the same client: time, request id and client port. */
  function comparable(line: string | undefined): Record<string, unknown> {
    return { ...logFields(line), requestId: 'id', client: 'client' };
  }

  it('hit skips the async handler', async () => {
    const body = review(await tokenFor());
    await sendRaw(asyncServer.port, ca, postHead(body), body);
    await sendRaw(asyncServer.port, ca, postHead(body), body);
    const asyncReply = await sendRaw(asyncServer.port, ca, postHead(body), body);
    const asyncLine = harness.lines.at(-1);
    const before = await successCount(harness.metrics);
    const asyncCalls = calls.async;

    const syncReply = await sendRaw(syncServer.port, ca, postHead(body), body);

    expect(calls.async).toBe(asyncCalls);
    expect(calls.sync).toBeGreaterThan(0);
    expect(syncReply.status).toBe(200);
    expect(syncReply.bytes).toBe(asyncReply.bytes);
    expect(comparable(harness.lines.at(-1))).toEqual(comparable(asyncLine));
    expect(JSON.parse(harness.lines.at(-1) ?? '{}')).toHaveProperty('requestId', expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(await successCount(harness.metrics)).toBe(before + 1);
  });

  it('mapping change falls back to the handler', async () => {
    const body = review(await tokenFor());
    await sendRaw(syncServer.port, ca, postHead(body), body);
    await sendRaw(syncServer.port, ca, postHead(body), body);
    const asyncCalls = calls.async;

    harness.state.generation = 7;
    harness.state.username = 'alice-moved';
    const reply = await sendRaw(syncServer.port, ca, postHead(body), body);

    expect(calls.async).toBe(asyncCalls + 1);
    expect(usernameOf(reply.bytes.slice(reply.bytes.indexOf('\r\n\r\n') + 4))).toBe('alice-moved');
  });

  it('expired window falls back to the handler', async () => {
    const body = review(await tokenFor());
    await sendRaw(syncServer.port, ca, postHead(body), body);
    await sendRaw(syncServer.port, ca, postHead(body), body);
    const asyncCalls = calls.async;

    harness.state.now = new Date(signedAt.getTime() + 15 * MINUTE + 1);
    harness.state.sts = 'denied';
    const reply = await sendRaw(syncServer.port, ca, postHead(body), body);
    harness.state.now = signedAt;
    harness.state.sts = 'ok';

    expect(calls.async).toBe(asyncCalls + 1);
    expect(reply.status).toBe(403);
  });

  it('body errors match the async path', async () => {
    const large = 'x'.repeat(5000);
    const declared = await Promise.all([syncServer, asyncServer].map((server) => sendRaw(server.port, ca, postHead(large), large)));
    const chunkedHead = 'POST /authenticate HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n';
    const chunk = `1388\r\n${large}\r\n0\r\n\r\n`;
    const streamed = await Promise.all([syncServer, asyncServer].map((server) => sendRaw(server.port, ca, chunkedHead, chunk)));

    expect(declared[0]?.status).toBe(413);
    expect(declared[0]?.bytes).toBe(declared[1]?.bytes);
    expect(streamed[0]?.status).toBe(413);
    expect(streamed[0]?.bytes).toBe(streamed[1]?.bytes);
    const rejected = serverLines.filter((line) => line.includes('request rejected')).map(comparable);
    expect(rejected).toHaveLength(4);
    expect(rejected.map((line) => ({ ...line, durationMs: 0 }))).toEqual(
      Array.from({ length: 4 }, () => ({ ...rejected[0], durationMs: 0 })),
    );
  });

  it('aborted body is logged as on the async path', async () => {
    const body = review(await tokenFor());
    const before = serverLines.length;
    for (const server of [syncServer, asyncServer]) {
      await sendPartial(server.port, ca, postHead(`${body}   `), body);
    }

    // The server logs when it detects the connection close, which can come after the client's close.
    const abortedLines = (): string[] => serverLines.slice(before).filter((line) => line.includes('"path":"/authenticate"'));
    for (let wait = 0; wait < 200 && abortedLines().length < 2; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const aborted = abortedLines().map(comparable);
    expect(aborted).toHaveLength(2);
    expect(aborted[0]).toHaveProperty('method', 'POST');
    expect({ ...aborted[0], durationMs: 0 }).toEqual({ ...aborted[1], durationMs: 0 });
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
