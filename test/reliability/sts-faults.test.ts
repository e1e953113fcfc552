import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStsEmulator, type EmulatorFaults, type StsEmulator } from '../../src/emulator/index.js';
import { TokenVerifier } from '../../src/token/index.js';
import { createWebhook, generateSelfSignedCertificate, type Webhook, type WebhookMetrics } from '../../src/webhook/index.js';
import {
  awsAuthMappingUser,
  CLUSTER_ID,
  counterValue,
  REGION,
  registryWithUser,
  review,
  temporaryDirectory,
  tokenFor,
} from './support.js';

const tls = generateSelfSignedCertificate({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
const { registry, credentials, arn } = registryWithUser();
const logger = pino({ level: 'silent' });
const temporary = temporaryDirectory('kubeiam-sts-faults-');
const awsAuthFile = join(temporary.dir, 'aws-auth.yaml');

/** Counts requests that reach it; a redirect target that the verifier must never contact. */
let redirectTarget: Server;
let redirectHits = 0;

beforeAll(async () => {
  writeFileSync(awsAuthFile, awsAuthMappingUser(arn, 'designated_user'));
  redirectTarget = createServer((_request, response) => {
    redirectHits++;
    response.end('{}');
  });
  await new Promise<void>((resolve) => redirectTarget.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => redirectTarget.close(resolve));
  temporary.remove();
});

function startWebhook(stsOverride: string, verifier?: TokenVerifier): Promise<Webhook> {
  return createWebhook(
    { clusterId: CLUSTER_ID, region: REGION, stsOverride, awsAuthFile, tls, port: 0, logger },
    verifier === undefined ? {} : { verifier },
  );
}

/** Finds a free loopback port by binding port 0 and releasing it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function resultCount(webhook: Webhook, result: string): Promise<number> {
  return counterValue(webhook.metrics.authenticateRequests, { result });
}

interface FaultCase {
  readonly name: string;
  readonly faults: EmulatorFaults;
  readonly status: number;
  readonly result: string;
  readonly responseCode: string;
}

const REDIRECT_LOCATION = (): string => `http://127.0.0.1:${(redirectTarget.address() as AddressInfo).port}/`;

const FAULT_CASES: readonly FaultCase[] = [
  { name: 'throttling', faults: { fault: { kind: 'throttling' } }, status: 429, result: 'sts_throttling', responseCode: '400' },
  { name: 'internal error', faults: { fault: { kind: 'server-error' } }, status: 403, result: 'sts_error', responseCode: '500' },
  { name: 'service unavailable', faults: { fault: { kind: 'server-error', status: 503 } }, status: 403, result: 'sts_error', responseCode: '503' },
  { name: 'redirect', faults: { fault: { kind: 'redirect', location: 'placeholder', status: 302 } }, status: 403, result: 'sts_error', responseCode: '302' },
  { name: 'permanent redirect', faults: { fault: { kind: 'redirect', location: 'placeholder', status: 308 } }, status: 403, result: 'sts_error', responseCode: '308' },
];

/** Sets the location of redirect faults now that the redirect target listens. */
function withLocation(faults: EmulatorFaults): EmulatorFaults {
  const fault = faults.fault;
  return fault?.kind === 'redirect' ? { ...faults, fault: { ...fault, location: REDIRECT_LOCATION() } } : faults;
}

describe('webhook on a failing STS', () => {
  let emulator: StsEmulator;
  let webhook: Webhook;

  beforeAll(async () => {
    emulator = await startStsEmulator({ registry });
    webhook = await startWebhook(emulator.url);
  });

  afterAll(async () => {
    await webhook.close();
    await emulator.close();
  });

  afterEach(() => {
    emulator.faults = {};
  });

  it.each(FAULT_CASES)('webhook $name fails closed', async (fault) => {
    const before = await resultCount(webhook, fault.result);
    const responsesBefore = await counterValue(webhook.metrics.stsResponses, { ResponseCode: fault.responseCode, StsRegion: REGION });
    const hitsBefore = redirectHits;
    emulator.faults = withLocation(fault.faults);

    const denied = await review(webhook.server.url, tls.cert, await tokenFor(credentials));

    expect(denied.status).toBe(fault.status);
    expect(denied.authenticated).toBe(false);
    expect(denied.body).toBe('{"metadata":{},"spec":{},"status":{"user":{}}}');
    expect(await resultCount(webhook, fault.result)).toBe(before + 1);
    expect(await counterValue(webhook.metrics.stsResponses, { ResponseCode: fault.responseCode, StsRegion: REGION })).toBe(responsesBefore + 1);
    expect(redirectHits).toBe(hitsBefore);
  });

  it.each(FAULT_CASES)('webhook $name recovers', async (fault) => {
    emulator.faults = withLocation(fault.faults);
    expect((await review(webhook.server.url, tls.cert, await tokenFor(credentials))).status).toBe(fault.status);

    emulator.faults = {};
    const granted = await review(webhook.server.url, tls.cert, await tokenFor(credentials));

    expect(granted.status).toBe(200);
    expect(granted.username).toBe('designated_user');
  });

  it('throttling counts sts_throttling_total', async () => {
    const before = await counterValue(webhook.metrics.stsThrottling, { StsRegion: REGION });
    emulator.faults = { fault: { kind: 'throttling' } };

    await review(webhook.server.url, tls.cert, await tokenFor(credentials));

    expect(await counterValue(webhook.metrics.stsThrottling, { StsRegion: REGION })).toBe(before + 1);
  });

  it('verified token survives STS outage', async () => {
    const token = await tokenFor(credentials);
    expect((await review(webhook.server.url, tls.cert, token)).status).toBe(200);
    const requestsBefore = emulator.requests.count;
    emulator.faults = { fault: { kind: 'server-error', status: 503 } };

    const cached = await review(webhook.server.url, tls.cert, token);

    expect(cached.status).toBe(200);
    expect(cached.username).toBe('designated_user');
    expect(emulator.requests.count).toBe(requestsBefore);
  });

  it('throttled token is not cached', async () => {
    const token = await tokenFor(credentials);
    emulator.faults = { fault: { kind: 'throttling' } };
    expect((await review(webhook.server.url, tls.cert, token)).status).toBe(429);

    emulator.faults = {};
    const retried = await review(webhook.server.url, tls.cert, token);

    expect(retried.status).toBe(200);
  });

  it('fault on one request only', async () => {
    emulator.faults = { fault: { kind: 'server-error', status: 503 }, times: 1 };

    const first = await review(webhook.server.url, tls.cert, await tokenFor(credentials));
    const second = await review(webhook.server.url, tls.cert, await tokenFor(credentials));

    expect(first.status).toBe(403);
    expect(second.status).toBe(200);
  });
});

describe('webhook on an STS that is down', () => {
  it('closed port fails closed, then recovers', async () => {
    const port = await freePort();
    const webhook = await startWebhook(`http://127.0.0.1:${port}`);
    let emulator: StsEmulator | undefined;
    try {
      const denied = await review(webhook.server.url, tls.cert, await tokenFor(credentials));

      expect(denied.status).toBe(403);
      expect(denied.authenticated).toBe(false);
      expect(await resultCount(webhook, 'sts_error')).toBe(1);
      expect(await counterValue(webhook.metrics.stsConnectionFailures, { StsRegion: REGION })).toBe(1);

      emulator = await startStsEmulator({ registry, port });
      const granted = await review(webhook.server.url, tls.cert, await tokenFor(credentials));

      expect(granted.status).toBe(200);
      expect(granted.username).toBe('designated_user');
    } finally {
      await webhook.close();
      await emulator?.close();
    }
  });
});

describe('webhook on a slow STS', () => {
  // NOTE: WebhookOptions has no STS timeout option (the verifier's default is 10 s), so this test
  // passes createWebhook a TokenVerifier with a 200 ms limit, wired to the webhook's STS metrics.
  const TIMEOUT_MS = 200;
  let emulator: StsEmulator;
  let webhook: Webhook;

  beforeAll(async () => {
    emulator = await startStsEmulator({ registry });
    let metrics: WebhookMetrics | undefined;
    const verifier = new TokenVerifier({
      clusterId: CLUSTER_ID,
      partition: 'aws',
      region: REGION,
      clock: () => new Date(),
      stsOverride: emulator.url,
      timeoutMs: TIMEOUT_MS,
      hooks: {
        onConnectionFailure: (stsRegion) => metrics?.stsConnectionFailures.inc({ StsRegion: stsRegion }),
        onResponse: ({ statusCode, stsRegion }) => metrics?.stsResponses.inc({ ResponseCode: String(statusCode), StsRegion: stsRegion }),
      },
    });
    webhook = await startWebhook(emulator.url, verifier);
    metrics = webhook.metrics;
  });

  afterAll(async () => {
    await webhook.close();
    await emulator.close();
  });

  it('slow STS fails closed before STS responds', async () => {
    // The emulator records a request only after its delay, so an empty log proves the webhook
    // responded while STS was still silent: the latency is bounded by the timeout, not by STS.
    emulator.faults = { delayMs: 60_000 };
    const logged = emulator.requests.log.length;

    const denied = await review(webhook.server.url, tls.cert, await tokenFor(credentials));

    expect(denied.status).toBe(403);
    expect(denied.authenticated).toBe(false);
    expect(emulator.requests.log.length).toBe(logged);
    expect(await resultCount(webhook, 'sts_error')).toBe(1);
    expect(await counterValue(webhook.metrics.stsConnectionFailures, { StsRegion: REGION })).toBe(1);
  });

  it('slow STS recovers when fast again', async () => {
    emulator.faults = {};

    const granted = await review(webhook.server.url, tls.cert, await tokenFor(credentials));

    expect(granted.status).toBe(200);
    expect(granted.username).toBe('designated_user');
  });

  it('delay under the timeout still grants', async () => {
    emulator.faults = { delayMs: TIMEOUT_MS / 4 };

    const granted = await review(webhook.server.url, tls.cert, await tokenFor(credentials));

    expect(granted.status).toBe(200);
  });
});
