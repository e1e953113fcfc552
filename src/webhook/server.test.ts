import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../arn/identity.js';
import { formatError } from '../token/errors.js';
import { generateSelfSignedCertificate } from './certificate.js';
import { WebhookConfigError } from './errors.js';
import { createAuthenticateHandler, type AuthenticateHandler, type TokenVerifierLike } from './handler.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
import { startWebhookServer, type WebhookServer, type WebhookServerOptions } from './server.js';

const pair = generateSelfSignedCertificate();
const otherPair = generateSelfSignedCertificate();

const roleIdentity: Identity = {
  arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice',
  canonicalArn: 'arn:aws:iam::123456789012:role/Admin',
  accountId: '123456789012',
  userId: 'AROAEXAMPLE',
  sessionName: 'alice',
  accessKeyId: 'ASIAEXAMPLE',
  stsEndpoint: 'sts.us-west-2.amazonaws.com',
};

const GOOD_TOKEN = 'k8s-aws-v1.good-token-for-tests';

/** Accepts GOOD_TOKEN; rejects anything else with a message that quotes the token. */
const verifier: TokenVerifierLike = {
  verify: async (token) => {
    if (token !== GOOD_TOKEN) {
      throw formatError(`unexpected token ${token}`);
    }
    return roleIdentity;
  },
};

interface Harness {
  server: WebhookServer;
  metrics: WebhookMetrics;
  lines: string[];
}

async function startHarness(overrides: Partial<WebhookServerOptions> = {}): Promise<Harness> {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const metrics = createWebhookMetrics();
  const handler = createAuthenticateHandler({
    verifier,
    mapIdentity: async () => ({
      ok: true,
      user: { username: 'admin', groups: ['system:masters'], source: 'test', kind: 'role' },
    }),
    metrics,
    logger,
  });
  const server = await startWebhookServer({
    handler,
    metrics,
    logger,
    tls: pair,
    port: 0,
    maxBodyBytes: 4096,
    ...overrides,
  });
  return { server, metrics, lines };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(
  server: WebhookServer,
  options: { method?: string; path: string; body?: string | Buffer; headers?: Record<string, string>; chunked?: boolean },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        ca: pair.cert,
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    if (options.chunked === true && options.body !== undefined) {
      const body = Buffer.from(options.body);
      for (let offset = 0; offset < body.length; offset += 1024) {
        request.write(body.subarray(offset, offset + 1024));
      }
      request.end();
    } else {
      request.end(options.body);
    }
  });
}

function review(token: string): string {
  return JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
}

/** Resolves when the server closes the socket, with the bytes it sent before. */
function waitForClose(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
  });
}

describe('webhook server over HTTPS', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.server.close();
  });

  it('listens on loopback with a free port', () => {
    expect(harness.server.host).toBe('127.0.0.1');
    expect(harness.server.port).toBeGreaterThan(0);
    expect(harness.server.url).toBe(`https://127.0.0.1:${harness.server.port}`);
  });

  it.each([['GET'], ['POST'], ['DELETE']])('healthz returns ok to %s', async (method) => {
    const reply = await send(harness.server, { method, path: '/healthz' });

    expect(reply.status).toBe(200);
    expect(reply.body).toBe('ok');
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('healthz verbose returns JSON details', async () => {
    const reply = await send(harness.server, { path: '/healthz?verbose' });

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(reply.body)).toEqual({ status: 'ok', sources: [] });
  });

  it('metrics use the reference names', async () => {
    await send(harness.server, { method: 'POST', path: '/authenticate', body: review(GOOD_TOKEN) });
    const reply = await send(harness.server, { path: '/metrics' });

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('text/plain');
    for (const name of [
      'aws_iam_authenticator_authenticate_latency_seconds',
      'aws_iam_authenticator_sts_connection_failures_total',
      'aws_iam_authenticator_sts_responses_total',
      'aws_iam_authenticator_sts_throttling_total',
      'aws_iam_authenticator_configmap_watch_failures_total',
      'aws_iam_authenticator_dynamicfile_failures_total',
      'aws_iam_authenticator_ec2_describe_instances_calls_total',
      'aws_iam_authenticator_dynamic_e2e_latency_seconds',
      'aws_iam_authenticator_dynamic_file_enabled',
      'aws_iam_authenticator_dynamic_file_only',
      'kubeiam_authenticate_requests_total',
      'kubeiam_mapping_source_errors_total',
      'kubeiam_mapping_source_loaded',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(reply.body).toContain(`# TYPE ${name} `);
    }
    expect(reply.body).toContain('aws_iam_authenticator_authenticate_latency_seconds_count{result="success"} 1');
  });

  it.each([['/'], ['/authenticate/'], ['/authenticatex'], ['/healthz/'], ['/metrics/x']])('%s is 404', async (path) => {
    const reply = await send(harness.server, { path });

    expect(reply.status).toBe(404);
    expect(reply.body).toBe('404 page not found\n');
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('authenticates a valid token', async () => {
    const reply = await send(harness.server, { method: 'POST', path: '/authenticate', body: review(GOOD_TOKEN) });

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(JSON.parse(reply.body)).toMatchObject({
      status: { authenticated: true, user: { username: 'admin', groups: ['system:masters'] } },
    });
  });

  it('authenticate ignores the query string', async () => {
    const reply = await send(harness.server, { method: 'POST', path: '/authenticate?timeout=10s', body: review(GOOD_TOKEN) });
    expect(reply.status).toBe(200);
  });

  it('denies an invalid token with 403', async () => {
    const reply = await send(harness.server, { method: 'POST', path: '/authenticate', body: review('bad') });

    expect(reply.status).toBe(403);
    expect(reply.body).toBe('{"metadata":{},"spec":{},"status":{"user":{}}}');
  });

  it('GET authenticate is 405', async () => {
    const reply = await send(harness.server, { path: '/authenticate' });

    expect(reply.status).toBe(405);
    expect(reply.body).toBe('expected POST\n');
  });

  it('malformed body is 400', async () => {
    const reply = await send(harness.server, { method: 'POST', path: '/authenticate', body: 'not valid json' });

    expect(reply.status).toBe(400);
    expect(reply.body).toBe('expected a request body to be a TokenReview\n');
  });

  it('empty POST body is 400', async () => {
    const reply = await send(harness.server, { method: 'POST', path: '/authenticate' });

    expect(reply.status).toBe(400);
    expect(reply.body).toBe('expected a request body to be a TokenReview\n');
  });

  it('declared body over the limit is 413', async () => {
    const reply = await send(harness.server, { method: 'POST', path: '/authenticate', body: 'x'.repeat(5000) });

    expect(reply.status).toBe(413);
    expect(reply.body).toBe('request body too large: the limit is 4096 bytes\n');
    expect(reply.headers['connection']).toBe('close');
  });

  it('chunked body over the limit is 413', async () => {
    const reply = await send(harness.server, {
      method: 'POST',
      path: '/authenticate',
      body: `{"spec":{"token":"${'x'.repeat(20_000)}"}}`,
      chunked: true,
    });

    expect(reply.status).toBe(413);
  });

  it('large upload over the limit gets 413', async () => {
    const body = Buffer.alloc(4 * 1024 * 1024, 0x20);
    const declared = await send(harness.server, { method: 'POST', path: '/authenticate', body });
    const chunked = await send(harness.server, { method: 'POST', path: '/authenticate', body, chunked: true });

    expect(declared.status).toBe(413);
    expect(chunked.status).toBe(413);
    expect((await send(harness.server, { path: '/healthz' })).status).toBe(200);
  });

  it('body at the limit is read', async () => {
    const body = review(GOOD_TOKEN).padEnd(4096, ' ');
    const reply = await send(harness.server, { method: 'POST', path: '/authenticate', body });
    expect(reply.status).toBe(200);
  });

  it('rejects clients below TLS 1.2', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: harness.server.port, ca: pair.cert, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' });
    const error = await new Promise<Error>((resolve) => socket.on('error', resolve));
    expect(error).toBeInstanceOf(Error);
  });

  it('rejects clients that do not trust the certificate', async () => {
    await expect(
      new Promise((resolve, reject) => {
        const request = httpsRequest(
          { host: '127.0.0.1', port: harness.server.port, path: '/healthz', ca: otherPair.cert, agent: false },
          resolve,
        );
        request.on('error', reject);
        request.end();
      }),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('survives a garbage TLS handshake', async () => {
    const before = (await harness.metrics.clientErrors.get()).values.find((v) => v.labels['kind'] === 'tls')?.value ?? 0;
    const socket = netConnect(harness.server.port, '127.0.0.1');
    const closed = waitForClose(socket);
    socket.write(Buffer.from('ff00ff00deadbeef0123456789abcdef', 'hex'));
    await closed;

    const after = (await harness.metrics.clientErrors.get()).values.find((v) => v.labels['kind'] === 'tls')?.value ?? 0;
    expect(after).toBeGreaterThan(before);
    expect((await send(harness.server, { path: '/healthz' })).body).toBe('ok');
  });

  it('plain HTTP on the TLS port is closed', async () => {
    const socket = netConnect(harness.server.port, '127.0.0.1');
    const closed = waitForClose(socket);
    socket.write('POST /authenticate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
    await closed;

    expect((await send(harness.server, { path: '/healthz' })).status).toBe(200);
  });

  it('malformed HTTP inside TLS gets 400', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: harness.server.port, ca: pair.cert });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const closed = waitForClose(socket);
    socket.write('NOT HTTP AT ALL\r\n\r\n');

    expect(await closed).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect((await send(harness.server, { path: '/healthz' })).status).toBe(200);
  });

  it('logs never contain the token', async () => {
    const token = 'k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9uPUdldENhbGxlcklkZW50aXR5JlgtQW16LVNpZ25hdHVyZT1zZWNyZXQ';
    await send(harness.server, { method: 'POST', path: '/authenticate', body: review(token) });
    await send(harness.server, { method: 'POST', path: '/authenticate', body: `${review(token)} trailing` });
    await send(harness.server, { method: 'POST', path: `/authenticate?token=${token}`, body: review(token) });
    await send(harness.server, { path: `/nowhere?${token}` });

    const logs = harness.lines.join('');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.slice(11, 40));
  });

  it('logs one line per authenticate request', async () => {
    const before = harness.lines.length;
    await send(harness.server, { method: 'POST', path: '/authenticate', body: review(GOOD_TOKEN) });
    const added = harness.lines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);

    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ msg: 'access granted', path: '/authenticate', method: 'POST', status: 200, username: 'admin' });
    expect(added[0]?.['requestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(added[0]?.['client']).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('webhook server timeouts', () => {
  let harness: Harness;

  afterEach(async () => {
    await harness.server.close();
  });

  it('closes a connection that never starts TLS', async () => {
    harness = await startHarness({ handshakeTimeoutMs: 200 });
    const socket = netConnect(harness.server.port, '127.0.0.1');
    const closed = waitForClose(socket);

    expect((await send(harness.server, { path: '/healthz' })).status).toBe(200);
    await closed;
    expect(socket.destroyed).toBe(true);
  });

  it('closes a TLS connection that never sends headers', async () => {
    harness = await startHarness({ headersTimeoutMs: 300, requestTimeoutMs: 300 });
    const socket = tlsConnect({ host: '127.0.0.1', port: harness.server.port, ca: pair.cert });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const closed = waitForClose(socket);
    socket.write('POST /authenticate HTTP/1.1\r\nHost: x\r\n');

    expect((await send(harness.server, { path: '/healthz' })).status).toBe(200);
    expect(await closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('handler failure is a 500 and the server survives', async () => {
    const failing: AuthenticateHandler = async () => {
      throw new Error('handler bug');
    };
    harness = await startHarness({ handler: failing });
    const reply = await send(harness.server, { method: 'POST', path: '/authenticate', body: review(GOOD_TOKEN) });

    expect(reply.status).toBe(500);
    expect(reply.body).toBe('internal server error\n');
    expect(harness.lines.join('')).toContain('handler bug');
    expect((await send(harness.server, { path: '/healthz' })).status).toBe(200);
  });
});

describe('webhook server lifecycle', () => {
  it('requires TLS material', async () => {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    const options = {
      handler: (async () => ({ status: 200, headers: {}, body: '' })) as AuthenticateHandler,
      metrics,
      logger: pino({ level: 'silent' }),
      port: 0,
    };

    await expect(startWebhookServer({ ...options, tls: undefined })).rejects.toMatchObject({ code: 'TLS_MISSING' });
    await expect(startWebhookServer({ ...options, tls: { cert: '', key: pair.key } })).rejects.toBeInstanceOf(WebhookConfigError);
    await expect(startWebhookServer({ ...options, tls: { cert: pair.cert, key: otherPair.key } })).rejects.toMatchObject({
      code: 'TLS_INVALID',
    });
    await expect(startWebhookServer({ ...options, tls: { cert: 'not a pem', key: 'not a pem' } })).rejects.toMatchObject({
      code: 'TLS_INVALID',
    });
  });

  it('reports a port in use', async () => {
    const first = await startHarness();
    try {
      await expect(startHarness({ port: first.server.port })).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
    } finally {
      await first.server.close();
    }
  });

  it('close finishes requests in flight', async () => {
    let release: () => void = () => undefined;
    const slow: AuthenticateHandler = () =>
      new Promise((resolve) => {
        release = () => resolve({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'done' });
      });
    const harness = await startHarness({ handler: slow });
    const inFlight = send(harness.server, { method: 'POST', path: '/authenticate', body: review(GOOD_TOKEN) });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const closed = harness.server.close();
    release();

    expect((await inFlight).body).toBe('done');
    await closed;
    await expect(send(harness.server, { path: '/healthz' })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('close drops connections after the grace period', async () => {
    const harness = await startHarness({ shutdownGraceMs: 100 });
    const socket = netConnect(harness.server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closedSocket = waitForClose(socket);

    const started = Date.now();
    await harness.server.close();
    await closedSocket;
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('close is idempotent', async () => {
    const harness = await startHarness();
    await Promise.all([harness.server.close(), harness.server.close()]);
    expect(harness.lines.filter((line) => line.includes('webhook server stopped'))).toHaveLength(1);
  });
});
