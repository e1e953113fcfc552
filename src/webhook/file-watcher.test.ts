import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileWatcher, type FileWatcher } from './file-watcher.js';

type Event = { kind: 'load'; text: string } | { kind: 'delete' } | { kind: 'error'; message: string };

let dir: string;
let watcher: FileWatcher | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-watch-'));
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function start(path: string, options: { pollIntervalMs?: number; useFsWatch?: boolean } = {}): Event[] {
  const events: Event[] = [];
  watcher = createFileWatcher(path, {
    pollIntervalMs: options.pollIntervalMs ?? 60_000,
    debounceMs: 20,
    useFsWatch: options.useFsWatch ?? true,
    onLoad: (text) => events.push({ kind: 'load', text }),
    onDelete: () => events.push({ kind: 'delete' }),
    onError: (error) => events.push({ kind: 'error', message: error.message }),
  });
  return events;
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const loads = (events: readonly Event[]): string[] =>
  events.flatMap((event) => (event.kind === 'load' ? [event.text] : []));

describe('createFileWatcher', () => {
  it('reports a missing file as deleted', async () => {
    const events = start(join(dir, 'aws-auth.yaml'));
    await watcher?.ready;

    expect(events).toEqual([{ kind: 'delete' }]);
  });

  it('loads an existing file', async () => {
    const path = join(dir, 'aws-auth.yaml');
    writeFileSync(path, 'v1');
    const events = start(path);
    await watcher?.ready;

    expect(events).toEqual([{ kind: 'load', text: 'v1' }]);
  });

  it('picks up an in-place change', async () => {
    const path = join(dir, 'aws-auth.yaml');
    writeFileSync(path, 'v1');
    const events = start(path);
    await watcher?.ready;

    writeFileSync(path, 'v2');
    await waitFor(() => loads(events).includes('v2'));
    expect(loads(events)).toEqual(['v1', 'v2']);
  });

  it('picks up an atomic rename', async () => {
    const path = join(dir, 'aws-auth.yaml');
    writeFileSync(path, 'v1');
    const events = start(path);
    await watcher?.ready;

    writeFileSync(join(dir, '.aws-auth.yaml.tmp'), 'v2');
    renameSync(join(dir, '.aws-auth.yaml.tmp'), path);
    await waitFor(() => loads(events).includes('v2'));
    expect(loads(events)).toEqual(['v1', 'v2']);
  });

  it('picks up a ConfigMap volume symlink swap', async () => {
    mkdirSync(join(dir, '..2024_01'));
    writeFileSync(join(dir, '..2024_01', 'aws-auth.yaml'), 'v1');
    symlinkSync('..2024_01', join(dir, '..data'));
    symlinkSync(join('..data', 'aws-auth.yaml'), join(dir, 'aws-auth.yaml'));
    const events = start(join(dir, 'aws-auth.yaml'));
    await watcher?.ready;

    mkdirSync(join(dir, '..2024_02'));
    writeFileSync(join(dir, '..2024_02', 'aws-auth.yaml'), 'v2');
    symlinkSync('..2024_02', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    await waitFor(() => loads(events).includes('v2'));
    expect(loads(events)).toEqual(['v1', 'v2']);
  });

  it('reports deletion and recreation', async () => {
    const path = join(dir, 'aws-auth.yaml');
    writeFileSync(path, 'v1');
    const events = start(path);
    await watcher?.ready;

    unlinkSync(path);
    await waitFor(() => events.some((event) => event.kind === 'delete'));
    writeFileSync(path, 'v1');
    await waitFor(() => loads(events).length === 2);

    expect(events).toEqual([{ kind: 'load', text: 'v1' }, { kind: 'delete' }, { kind: 'load', text: 'v1' }]);
  });

  it('skips rewrites with the same text', async () => {
    const path = join(dir, 'aws-auth.yaml');
    writeFileSync(path, 'v1');
    const events = start(path);
    await watcher?.ready;

    writeFileSync(path, 'v1');
    await watcher?.check();
    writeFileSync(path, 'v2');
    await waitFor(() => loads(events).includes('v2'));
    expect(loads(events)).toEqual(['v1', 'v2']);
  });

  it('polls without fs.watch', async () => {
    const path = join(dir, 'aws-auth.yaml');
    writeFileSync(path, 'v1');
    const events = start(path, { useFsWatch: false, pollIntervalMs: 30 });
    await watcher?.ready;

    writeFileSync(path, 'v2-longer');
    await waitFor(() => loads(events).includes('v2-longer'));
    unlinkSync(path);
    await waitFor(() => events.some((event) => event.kind === 'delete'));
    expect(events.map((event) => event.kind)).toEqual(['load', 'load', 'delete']);
  });

  it('reports a directory in place of the file', async () => {
    const path = join(dir, 'aws-auth.yaml');
    mkdirSync(path);
    const events = start(path);
    await watcher?.ready;

    expect(events).toEqual([{ kind: 'error', message: `${path} is not a regular file` }]);
  });

  it('reports a throwing callback and keeps watching', async () => {
    const path = join(dir, 'aws-auth.yaml');
    writeFileSync(path, 'v1');
    const errors: string[] = [];
    const texts: string[] = [];
    watcher = createFileWatcher(path, {
      pollIntervalMs: 60_000,
      debounceMs: 20,
      onLoad: (text) => {
        texts.push(text);
        if (text === 'v1') {
          throw new Error('cannot load v1');
        }
      },
      onDelete: () => undefined,
      onError: (error) => errors.push(error.message),
    });
    await watcher.ready;

    writeFileSync(path, 'v2');
    await waitFor(() => texts.includes('v2'));
    expect(errors).toEqual(['cannot load v1']);
  });

  it('starts watching once the directory appears', async () => {
    const nested = join(dir, 'later');
    const path = join(nested, 'aws-auth.yaml');
    const events = start(path, { pollIntervalMs: 30 });
    await watcher?.ready;

    mkdirSync(nested);
    writeFileSync(path, 'v1');
    await waitFor(() => loads(events).includes('v1'));
    expect(events[0]).toEqual({ kind: 'delete' });
  });

  it('stops after close', async () => {
    const path = join(dir, 'aws-auth.yaml');
    writeFileSync(path, 'v1');
    const events = start(path, { pollIntervalMs: 20 });
    await watcher?.ready;
    await watcher?.close();

    writeFileSync(path, 'v2');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(loads(events)).toEqual(['v1']);
  });
});
