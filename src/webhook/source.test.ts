import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Identity } from '../arn/identity.js';
import type { MappingSource } from '../mapping/types.js';
import { buildHealthReport } from './health.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
import { createReloadingSource, watchSourceFile, type ParsedDocument, type ReloadingSource } from './source.js';

/**
 * A stand-in for the aws-auth parser: JSON with `mapRoles` (role ARN to username) and `mapAccounts`.
 * A key whose value is the string "BROKEN" fails to parse; text that is not JSON is not valid.
 */
interface ToyDocument {
  readonly mapRoles: Readonly<Record<string, string>>;
  readonly mapAccounts: readonly string[];
}

const KEYS = ['mapRoles', 'mapAccounts'] as const;

function parseToy(text: string): ParsedDocument<ToyDocument> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { document: { mapRoles: {}, mapAccounts: [] }, valid: false, brokenKeys: [], problems: [{ key: 'document', message: 'not JSON' }] };
  }
  const brokenKeys = KEYS.filter((key) => raw[key] === 'BROKEN');
  const document: ToyDocument = {
    mapRoles: brokenKeys.includes('mapRoles') ? {} : ((raw['mapRoles'] as Record<string, string> | undefined) ?? {}),
    mapAccounts: brokenKeys.includes('mapAccounts') ? [] : ((raw['mapAccounts'] as string[] | undefined) ?? []),
  };
  return { document, valid: true, brokenKeys, problems: brokenKeys.map((key) => ({ key, message: `${key} failed to parse` })) };
}

function buildToy(name: string, document: ToyDocument): MappingSource {
  return {
    name,
    reservedPrefixes: ['system:'],
    map: (identity) => {
      const username = document.mapRoles[identity.canonicalArn];
      return username === undefined ? undefined : { kind: 'role', username, groups: [] };
    },
    isAccountAllowed: (accountId) => document.mapAccounts.includes(accountId),
  };
}

function role(name: string): Identity {
  const arn = `arn:aws:iam::111122223333:role/${name}`;
  return { arn, canonicalArn: arn, accountId: '111122223333', userId: 'AROA', sessionName: 's', accessKeyId: '', stsEndpoint: '' };
}

function createToySource(keepLastGood: boolean, metrics?: WebhookMetrics, lines?: string[]): ReloadingSource {
  const logger = lines === undefined ? undefined : pino({}, { write: (line: string) => void lines.push(line) });
  return createReloadingSource<ToyDocument>({
    name: 'aws-auth.yaml',
    keys: KEYS,
    parse: parseToy,
    replaceKey: (document, key, previous) =>
      key === 'mapRoles' ? { ...document, mapRoles: previous.mapRoles } : { ...document, mapAccounts: previous.mapAccounts },
    build: (document) => buildToy('aws-auth.yaml', document),
    keepLastGood,
    now: () => new Date('2026-03-01T00:00:00Z'),
    ...(metrics === undefined ? {} : { metrics }),
    ...(logger === undefined ? {} : { logger }),
  });
}

const good = JSON.stringify({ mapRoles: { 'arn:aws:iam::111122223333:role/admin': 'admin' }, mapAccounts: ['444455556666'] });
const rolesBroken = JSON.stringify({ mapRoles: 'BROKEN', mapAccounts: ['777788889999'] });

async function counterValue(metrics: WebhookMetrics, labels: { source?: string; key?: string }): Promise<number> {
  const data = await metrics.mappingSourceErrors.get();
  const sample = data.values.find(
    (value) =>
      (labels.source === undefined || value.labels.source === labels.source) &&
      (labels.key === undefined || value.labels.key === labels.key),
  );
  return sample?.value ?? 0;
}

async function loadedValue(metrics: WebhookMetrics): Promise<number | undefined> {
  const data = await metrics.mappingSourceLoaded.get();
  return data.values.find((value) => value.labels['source'] === 'aws-auth.yaml')?.value;
}

describe('reloading source', () => {
  it('starts pending and empty', async () => {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    const source = createToySource(false, metrics);

    expect(source.map(role('admin'))).toBeUndefined();
    expect(source.isAccountAllowed('444455556666')).toBe(false);
    expect(source.status().state).toBe('pending');
    expect(await loadedValue(metrics)).toBe(0);
  });

  it('reports loads and clears as changes', () => {
    let changes = 0;
    const source = createReloadingSource<ToyDocument>({
      name: 'aws-auth.yaml',
      keys: KEYS,
      parse: parseToy,
      replaceKey: (document) => document,
      build: (document) => buildToy('aws-auth.yaml', document),
      onChange: () => changes++,
    });
    source.load(JSON.stringify({ mapRoles: { [role('dev').arn]: 'dev' } }));
    expect(changes).toBe(1);
    source.load('not JSON');
    expect(changes).toBe(1);
    source.clear();
    expect(changes).toBe(2);
  });

  it('installs a good load', async () => {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    const source = createToySource(false, metrics);
    source.load(good);

    expect(source.map(role('admin'))).toEqual({ kind: 'role', username: 'admin', groups: [] });
    expect(source.isAccountAllowed('444455556666')).toBe(true);
    expect(source.reservedPrefixes).toEqual(['system:']);
    expect(source.status()).toEqual({
      name: 'aws-auth.yaml',
      state: 'loaded',
      lastLoadAt: '2026-03-01T00:00:00.000Z',
      brokenKeys: [],
      keptKeys: [],
      problems: [],
    });
    expect(await loadedValue(metrics)).toBe(1);
  });

  it('broken key loads empty by default', async () => {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    const lines: string[] = [];
    const source = createToySource(false, metrics, lines);
    source.load(good);
    source.load(rolesBroken);

    expect(source.map(role('admin'))).toBeUndefined();
    expect(source.isAccountAllowed('777788889999')).toBe(true);
    expect(source.isAccountAllowed('444455556666')).toBe(false);
    expect(source.status().brokenKeys).toEqual(['mapRoles']);
    expect(source.status().keptKeys).toEqual([]);
    expect(await counterValue(metrics, { source: 'aws-auth.yaml', key: 'mapRoles' })).toBe(1);
    expect(lines.at(-1)).toContain('mapping source loaded with errors: broken keys load empty');
  });

  it('broken key keeps last good entries', async () => {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    const lines: string[] = [];
    const source = createToySource(true, metrics, lines);
    source.load(good);
    source.load(rolesBroken);

    expect(source.map(role('admin'))).toEqual({ kind: 'role', username: 'admin', groups: [] });
    expect(source.isAccountAllowed('777788889999')).toBe(true);
    expect(source.isAccountAllowed('444455556666')).toBe(false);
    expect(source.status().brokenKeys).toEqual(['mapRoles']);
    expect(source.status().keptKeys).toEqual(['mapRoles']);
    expect(await counterValue(metrics, { source: 'aws-auth.yaml', key: 'mapRoles' })).toBe(1);
    expect(lines.at(-1)).toContain('broken keys keep their last good entries');
  });

  it('keep last good survives repeated breakage', () => {
    const source = createToySource(true);
    source.load(good);
    source.load(rolesBroken);
    source.load(JSON.stringify({ mapRoles: 'BROKEN', mapAccounts: [] }));

    expect(source.map(role('admin'))?.username).toBe('admin');
  });

  it('keep last good takes the newest good version', () => {
    const source = createToySource(true);
    source.load(good);
    source.load(JSON.stringify({ mapRoles: { 'arn:aws:iam::111122223333:role/dev': 'dev' } }));
    source.load(rolesBroken);

    expect(source.map(role('admin'))).toBeUndefined();
    expect(source.map(role('dev'))?.username).toBe('dev');
  });

  it('keep last good without history loads empty', () => {
    const source = createToySource(true);
    source.load(rolesBroken);

    expect(source.map(role('admin'))).toBeUndefined();
    expect(source.status().keptKeys).toEqual([]);
    expect(source.isAccountAllowed('777788889999')).toBe(true);
  });

  it.each([[false], [true]])('invalid document keeps everything (keepLastGood %s)', async (keepLastGood) => {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    const source = createToySource(keepLastGood, metrics);
    source.load(good);
    source.load('{ not json');

    expect(source.map(role('admin'))?.username).toBe('admin');
    expect(source.isAccountAllowed('444455556666')).toBe(true);
    expect(source.status().state).toBe('loaded');
    expect(source.status().lastError).toBe('the new version is not valid: document: not JSON');
    expect(await counterValue(metrics, { key: 'document' })).toBeGreaterThan(0);
  });

  it('clear removes every mapping', async () => {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    const source = createToySource(true, metrics);
    source.load(good);
    source.clear();

    expect(source.map(role('admin'))).toBeUndefined();
    expect(source.isAccountAllowed('444455556666')).toBe(false);
    expect(source.status().state).toBe('missing');
    expect(await loadedValue(metrics)).toBe(0);
  });

  it('clear forgets the last good entries', () => {
    const source = createToySource(true);
    source.load(good);
    source.clear();
    source.load(rolesBroken);

    expect(source.map(role('admin'))).toBeUndefined();
  });

  it('read errors keep mappings and are logged once', async () => {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    const lines: string[] = [];
    const source = createToySource(false, metrics, lines);
    source.load(good);
    const before = lines.length;
    source.recordError(new Error('EACCES: permission denied'));
    source.recordError(new Error('EACCES: permission denied'));

    expect(source.map(role('admin'))?.username).toBe('admin');
    expect(source.status().lastError).toBe('EACCES: permission denied');
    expect(await counterValue(metrics, { key: 'file' })).toBe(2);
    expect(lines.length - before).toBe(1);
  });

  it('a good load clears the last error', () => {
    const source = createToySource(false);
    source.recordError(new Error('EACCES: permission denied'));
    source.load(good);

    expect(source.status().lastError).toBeUndefined();
  });
});

describe('buildHealthReport', () => {
  it('is ok when every source loaded cleanly', () => {
    const source = createToySource(false);
    source.load(good);
    expect(buildHealthReport([source]).status).toBe('ok');
  });

  it.each([
    ['a broken key', (source: ReloadingSource) => source.load(rolesBroken)],
    ['a missing file', (source: ReloadingSource) => source.clear()],
    ['a read error', (source: ReloadingSource) => source.recordError(new Error('EIO'))],
  ])('is degraded with %s', (_name, act) => {
    const source = createToySource(false);
    source.load(good);
    act(source);

    const report = buildHealthReport([source]);
    expect(report.status).toBe('degraded');
    expect(report.sources).toHaveLength(1);
  });
});

describe('watchSourceFile', () => {
  let dir: string | undefined;

  afterEach(() => {
    if (dir !== undefined) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function waitFor(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!condition()) {
      if (Date.now() > deadline) {
        throw new Error('condition not met in time');
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('follows changes, renames and deletion of the file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubeiam-source-'));
    const path = join(dir, 'aws-auth.json');
    writeFileSync(path, good);
    const source = createToySource(false);
    const watcher = watchSourceFile(path, source, { debounceMs: 20, pollIntervalMs: 60_000 });

    try {
      await watcher.ready;
      expect(source.map(role('admin'))?.username).toBe('admin');

      writeFileSync(path, JSON.stringify({ mapRoles: { 'arn:aws:iam::111122223333:role/dev': 'dev' } }));
      await waitFor(() => source.map(role('dev')) !== undefined);
      expect(source.map(role('admin'))).toBeUndefined();

      writeFileSync(join(dir, 'next.json'), good);
      renameSync(join(dir, 'next.json'), path);
      await waitFor(() => source.map(role('admin')) !== undefined);

      unlinkSync(path);
      await waitFor(() => source.status().state === 'missing');
      expect(source.map(role('admin'))).toBeUndefined();
    } finally {
      await watcher.close();
    }
  });
});
