import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateBackendModes } from '../serverconfig/backendmode.js';
import type { BackendFactory } from './backends.js';
import { BackendChain, parseBackendModeFile, watchBackendModeFile } from './chain.js';
import { createWebhookMetrics } from './metrics.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-chain-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A factory that records starts and stops of a named backend. */
function recording(events: string[]): BackendFactory {
  return async (context) => {
    events.push(`start ${context.name}`);
    return {
      source: { name: context.name, reservedPrefixes: context.reservedPrefixes, map: () => undefined, isAccountAllowed: () => false },
      close: async () => {
        events.push(`stop ${context.name}`);
      },
    };
  };
}

function chainWith(events: string[]) {
  const metrics = createWebhookMetrics({ defaultMetrics: false });
  const factory = recording(events);
  const chain = new BackendChain({
    factories: { MountedFile: factory, DynamicFile: factory, EKSConfigMap: factory },
    reservedPrefixes: { DynamicFile: ['aws:'] },
    context: { settings: {}, metrics, logger: pino({ level: 'silent' }), clock: () => new Date() },
  });
  return { chain, metrics };
}

async function gauge(metrics: ReturnType<typeof createWebhookMetrics>, name: 'dynamicFileOnly' | 'dynamicFileEnabled'): Promise<number> {
  return (await metrics[name].get()).values[0]?.value ?? -1;
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('BackendChain mapping generation', () => {
  /** A factory whose backend reports changes and hands its change callback to the test. */
  function reporting(callbacks: Array<() => void>, reportsChanges = true): BackendFactory {
    return async (context) => {
      if (context.mappingChanged !== undefined) callbacks.push(context.mappingChanged);
      return {
        source: { name: context.name, reservedPrefixes: [], map: () => undefined, isAccountAllowed: () => false },
        reportsChanges,
        close: async () => undefined,
      };
    };
  }

  function chainOf(factories: Record<string, BackendFactory>): BackendChain {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    return new BackendChain({ factories, reservedPrefixes: {}, context: { settings: {}, metrics, logger: pino({ level: 'silent' }), clock: () => new Date() } });
  }

  it('generation grows on reported changes', async () => {
    const callbacks: Array<() => void> = [];
    const chain = chainOf({ MountedFile: reporting(callbacks) });
    await chain.apply(['MountedFile']);
    const before = chain.mappingGeneration();
    expect(before).toBeTypeOf('number');

    callbacks[0]?.();
    expect(chain.mappingGeneration()).toBe((before ?? 0) + 1);
  });

  it('generation grows on a chain switch', async () => {
    const callbacks: Array<() => void> = [];
    const chain = chainOf({ MountedFile: reporting(callbacks), DynamicFile: reporting(callbacks) });
    await chain.apply(['MountedFile']);
    const before = chain.mappingGeneration() ?? 0;
    await chain.apply(['DynamicFile']);
    expect(chain.mappingGeneration()).toBeGreaterThan(before);
  });

  it('silent backend leaves no generation', async () => {
    const callbacks: Array<() => void> = [];
    const chain = chainOf({ MountedFile: reporting(callbacks), CRD: reporting(callbacks, false) });
    await chain.apply(['MountedFile', 'CRD']);
    expect(chain.mappingGeneration()).toBeUndefined();
    await chain.apply(['MountedFile']);
    expect(chain.mappingGeneration()).toBeTypeOf('number');
  });
});

describe('BackendChain', () => {
  it('chain keeps configured order', async () => {
    const events: string[] = [];
    const { chain } = chainWith(events);
    await chain.apply(['DynamicFile', 'MountedFile']);
    expect(chain.sources().map((source) => source.name)).toEqual(['DynamicFile', 'MountedFile']);
    expect(chain.sources()[0]?.reservedPrefixes).toEqual(['aws:']);
  });

  it('chain uses a registered EKSConfigMap factory', async () => {
    const events: string[] = [];
    const { chain } = chainWith(events);
    await chain.apply(['EKSConfigMap']);
    expect(events).toEqual(['start EKSConfigMap']);
  });

  it('chain keeps leading sources without backends', async () => {
    const metrics = createWebhookMetrics({ defaultMetrics: false });
    const leading = { name: 'bootstrap', reservedPrefixes: [], map: () => undefined, isAccountAllowed: () => false };
    const chain = new BackendChain({ factories: {}, reservedPrefixes: {}, leading: [leading], context: { settings: {}, metrics, logger: pino({ level: 'silent' }), clock: () => new Date() } });
    await chain.apply([]);
    expect(chain.sources().map((source) => source.name)).toEqual(['bootstrap']);
  });

  it('chain rejects a backend without factory', async () => {
    const { chain } = chainWith([]);
    await expect(chain.apply(['CRD'])).rejects.toThrow('backend-mode "CRD" is not available in kubeiam');
  });

  it('chain starts new backends before stopping old ones', async () => {
    const events: string[] = [];
    const { chain } = chainWith(events);
    await chain.apply(['MountedFile']);
    await chain.apply(['DynamicFile']);
    expect(events).toEqual(['start MountedFile', 'start DynamicFile', 'stop MountedFile']);
  });

  it('chain skips an unchanged list', async () => {
    const events: string[] = [];
    const { chain } = chainWith(events);
    await chain.apply(['MountedFile']);
    expect(await chain.apply(['MountedFile'])).toBe(false);
    expect(events).toEqual(['start MountedFile']);
  });

  it.each([
    [['DynamicFile'], 1, 1],
    [['MountedFile', 'DynamicFile'], 0, 1],
    [['MountedFile'], 0, 0],
  ])('chain gauges for %j', async (modes, only, enabled) => {
    const { chain, metrics } = chainWith([]);
    await chain.apply(modes);
    expect(await gauge(metrics, 'dynamicFileOnly')).toBe(only);
    expect(await gauge(metrics, 'dynamicFileEnabled')).toBe(enabled);
  });
});

describe('watchBackendModeFile', () => {
  it('backend-mode file rebuilds and restores the chain', async () => {
    const path = join(dir, 'backend-mode.json');
    const events: string[] = [];
    const { chain, metrics } = chainWith(events);
    await chain.apply(['MountedFile']);
    const watcher = watchBackendModeFile({
      path,
      chain,
      configuredModes: ['MountedFile'],
      validate: (names) => validateBackendModes(names).modes,
      metrics,
      logger: pino({ level: 'silent' }),
      clock: () => new Date(),
      pollIntervalMs: 20,
    });
    try {
      await watcher.ready;
      writeFileSync(path, JSON.stringify({ LastUpdatedDateTime: '1700000000', Version: '1', backendMode: 'MountedFile DynamicFile' }));
      await waitFor(() => chain.modes.join(' ') === 'MountedFile DynamicFile');

      writeFileSync(path, JSON.stringify({ backendMode: 'ModeFoo' }));
      let errors = 0;
      while (errors === 0) {
        errors = (await metrics.mappingSourceErrors.get()).values.find((value) => value.labels['source'] === 'backend-mode')?.value ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(chain.modes).toEqual(['MountedFile', 'DynamicFile']);

      unlinkSync(path);
      await waitFor(() => chain.modes.join(' ') === 'MountedFile');
    } finally {
      await watcher.close();
      await chain.close();
    }
  });

  it('parseBackendModeFile matches keys case-insensitively', () => {
    expect(parseBackendModeFile('{"BACKENDMODE":"DynamicFile","lastupdateddatetime":"1"}')).toEqual({ backendMode: 'DynamicFile', lastUpdatedDateTime: '1' });
  });

  it('parseBackendModeFile rejects a number', () => {
    expect(() => parseBackendModeFile('{"backendMode":1}')).toThrow('must be a string');
  });
});
