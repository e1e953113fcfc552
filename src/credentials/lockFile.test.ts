import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, LockError } from './lockFile.js';

let dir: string;
let lockPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-lock-'));
  lockPath = join(dir, 'credentials.yaml.lock');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const noSleep = async (): Promise<void> => {};

async function lockError(promise: Promise<unknown>): Promise<LockError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LockError) return error;
    throw error;
  }
  throw new Error('acquireLock did not throw');
}

describe('acquireLock', () => {
  it('creates a 0600 lock file with the pid', async () => {
    const lock = await acquireLock(lockPath);
    expect(readFileSync(lockPath, 'utf8')).toBe(`${process.pid}\n`);
    expect(statSync(lockPath).mode & 0o777).toBe(0o600);
    lock.release();
  });

  it('removes the file on release', async () => {
    const lock = await acquireLock(lockPath);
    lock.release();
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('times out while another holder is fresh', async () => {
    writeFileSync(lockPath, '1\n');
    const error = await lockError(acquireLock(lockPath, { timeoutMs: 200, retryMs: 50, sleep: noSleep }));
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(error.message).toBe(`lock file ${lockPath} is held by another process (waited 200 ms)`);
  });

  it('waits for the holder to release', async () => {
    const first = await acquireLock(lockPath);
    const second = acquireLock(lockPath, {
      retryMs: 10,
      sleep: async () => {
        first.release();
      },
    });
    await expect(second).resolves.toMatchObject({ path: lockPath });
  });

  it('takes over a stale lock file', async () => {
    writeFileSync(lockPath, '99999\n');
    const old = new Date(Date.now() - 11 * 1000);
    utimesSync(lockPath, old, old);
    const lock = await acquireLock(lockPath, { timeoutMs: 0 });
    expect(readFileSync(lockPath, 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
  });

  it('uses the stale age from the options', async () => {
    writeFileSync(lockPath, '1\n');
    const now = () => new Date(statSync(lockPath).mtimeMs + 500);
    const error = await lockError(acquireLock(lockPath, { staleMs: 1000, timeoutMs: 0, clock: now }));
    expect(error.code).toBe('LOCK_TIMEOUT');
  });

  it('fails when the directory is missing', async () => {
    const error = await lockError(acquireLock(join(dir, 'missing', 'x.lock')));
    expect(error.code).toBe('LOCK_FAILED');
    expect(error.message).toMatch(/^unable to create lock file .*missing\/x\.lock: ENOENT/);
  });
});
