import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../arn/identity.js';
import { createDynamicFileBackend, createMountedBackend, observeLatency, type BackendContext } from './backends.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-backends-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const now = new Date('2026-03-01T12:00:00Z');
const nowSeconds = now.getTime() / 1000;

function context(overrides: Partial<BackendContext> = {}): BackendContext & { metrics: WebhookMetrics } {
  return {
    name: 'DynamicFile',
    reservedPrefixes: [],
    settings: {},
    metrics: createWebhookMetrics({ defaultMetrics: false }),
    logger: pino({ level: 'silent' }),
    clock: () => now,
    pollIntervalMs: 20,
    ...overrides,
  } as BackendContext & { metrics: WebhookMetrics };
}

function roleIdentity(name: string, userId = 'AROAEXAMPLE'): Identity {
  return {
    arn: `arn:aws:sts::012345678901:assumed-role/${name}/s`,
    canonicalArn: `arn:aws:iam::012345678901:role/${name}`,
    accountId: '012345678901',
    userId,
    sessionName: 's',
    accessKeyId: 'ASIAEXAMPLE',
    stsEndpoint: 'sts.us-west-2.amazonaws.com',
  };
}

const accessEntries = (username: string, lastUpdated = String(nowSeconds - 10)): string =>
  JSON.stringify({
    Version: '1',
    LastUpdatedDateTime: lastUpdated,
    ClusterId: 'c',
    mapRoles: [{ rolearn: 'arn:aws:iam::012345678901:role/dev', username, groups: ['g'], userid: 'AROAEXAMPLE' }],
  });

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function histogramCount(metrics: WebhookMetrics, type: string): Promise<number> {
  const data = await metrics.dynamicE2eLatency.get();
  return data.values.find((value) => value.metricName?.endsWith('_count') && value.labels['type'] === type)?.value ?? 0;
}

describe('createDynamicFileBackend', () => {
  it('dynamic backend reports each change', async () => {
    const path = join(dir, 'changes.json');
    let changes = 0;
    const backend = await createDynamicFileBackend(context({ settings: { dynamicFilePath: path }, mappingChanged: () => changes++ }));
    try {
      expect(backend.reportsChanges).toBe(true);
      writeFileSync(path, accessEntries('first'));
      await waitFor(() => backend.source.map(roleIdentity('dev'))?.username === 'first');
      expect(changes).toBeGreaterThanOrEqual(1);

      const afterLoad = changes;
      unlinkSync(path);
      await waitFor(() => backend.source.map(roleIdentity('dev')) === undefined);
      expect(changes).toBeGreaterThan(afterLoad);
    } finally {
      await backend.close();
    }
  });

  it('dynamic backend follows the file lifecycle', async () => {
    const path = join(dir, 'lifecycle.json');
    const ctx = context({ settings: { dynamicFilePath: path } });
    const backend = await createDynamicFileBackend(ctx);
    try {
      expect(backend.source.map(roleIdentity('dev'))).toBeUndefined();
      expect(backend.health?.status().state).toBe('missing');

      writeFileSync(path, accessEntries('first'));
      await waitFor(() => backend.source.map(roleIdentity('dev'))?.username === 'first');

      writeFileSync(path, accessEntries('second'));
      await waitFor(() => backend.source.map(roleIdentity('dev'))?.username === 'second');
      expect(await histogramCount(ctx.metrics, 'dynamic_file')).toBe(1);

      unlinkSync(path);
      await waitFor(() => backend.source.map(roleIdentity('dev')) === undefined);
      expect(backend.health?.status().state).toBe('missing');
    } finally {
      await backend.close();
    }
  });

  it('dynamic backend keeps mappings on a bad file', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, accessEntries('kept'));
    const ctx = context({ settings: { dynamicFilePath: path } });
    const backend = await createDynamicFileBackend(ctx);
    try {
      writeFileSync(path, '{"mapRoles": [ {"rolearn": 1} ]');
      await waitFor(() => backend.health?.status().lastError !== undefined);
      expect(backend.source.map(roleIdentity('dev'))?.username).toBe('kept');
    } finally {
      await backend.close();
    }
  });

  it('dynamic backend strict mode checks the ARN', async () => {
    const path = join(dir, 'strict.json');
    writeFileSync(path, accessEntries('strict'));
    const backend = await createDynamicFileBackend(context({ settings: { dynamicFilePath: path, dynamicFileUserIdStrict: true } }));
    try {
      expect(backend.source.map(roleIdentity('dev'))?.username).toBe('strict');
      expect(() => backend.source.map(roleIdentity('other'))).toThrow('ARN does not match User ID');
    } finally {
      await backend.close();
    }
  });

  it('dynamic backend requires a path', async () => {
    await expect(createDynamicFileBackend(context())).rejects.toThrow('server.dynamicfilepath');
  });
});

describe('observeLatency', () => {
  it.each([
    ['past time', String(nowSeconds - 5), 1],
    ['not a number', 'foo', 0],
    ['future time', String(nowSeconds + 1000), 0],
  ])('observeLatency %s', async (_name, value, expected) => {
    const ctx = context();
    observeLatency(ctx, 'dynamic_file', value);
    expect(await histogramCount(ctx.metrics, 'dynamic_file')).toBe(expected);
  });
});

describe('createMountedBackend', () => {
  it('mounted backend maps configured roles', async () => {
    const backend = await createMountedBackend(
      context({ name: 'MountedFile', settings: { mounted: { mapRoles: [{ rolearn: 'arn:aws:iam::012345678901:role/dev', username: 'dev', groups: ['g'] }] } } }),
    );
    expect(backend.source.map(roleIdentity('dev'))?.username).toBe('dev');
  });

  it('mounted backend rejects an invalid entry', async () => {
    await expect(createMountedBackend(context({ name: 'MountedFile', settings: { mounted: { mapUsers: [{ username: 'x' }] } } }))).rejects.toThrow(
      'value for userarn must be supplied',
    );
  });
});
