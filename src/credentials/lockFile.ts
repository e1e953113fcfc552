/**
 * An exclusive lock between processes: the lock is taken by creating a lock file with O_EXCL.
 * Node has no flock(2), so a process that dies while holding the lock leaves the file behind.
 * A lock file older than `staleMs` is therefore removed and taken over.
 */
import { closeSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { KubeiamError } from '../errors.js';
import { fsErrorText, PRIVATE_FILE_MODE } from './privateFile.js';

export interface LockOptions {
  /** Pause between attempts while another process holds the lock, in ms. Default: 50. */
  readonly retryMs?: number;
  /** Give up after this many ms of waiting. Default: 1000, as aws-iam-authenticator's flock timeout. */
  readonly timeoutMs?: number;
  /**
   * Age in ms after which a lock file counts as abandoned. Default: 10 000. A holder only re-reads
   * and rewrites one small file under the lock, which takes milliseconds.
   */
  readonly staleMs?: number;
  /** Clock that lock file modification times are compared with. Default: the system clock. */
  readonly clock?: () => Date;
  /** Default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export type LockErrorCode = 'LOCK_TIMEOUT' | 'LOCK_FAILED';

export class LockError extends KubeiamError {
  override readonly code: LockErrorCode;

  constructor(code: LockErrorCode, message: string, path: string) {
    super(code, message, { path });
    this.name = 'LockError';
    this.code = code;
  }
}

export interface FileLock {
  readonly path: string;
  /** Removes the lock file. Calling it again does nothing. */
  release(): void;
}

const DEFAULT_RETRY_MS = 50;
const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_STALE_MS = 10 * 1000;

/**
 * Takes the lock `path` (for example `credentials.yaml.lock`). Throws LockError LOCK_TIMEOUT when
 * another process holds it for longer than the timeout, LOCK_FAILED when the file cannot be created.
 */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<FileLock> {
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  // Waiting is counted in pauses taken, so a stopped or injected clock cannot make it endless.
  let waitedMs = 0;

  for (;;) {
    if (tryCreate(path)) return createHandle(path);

    // NOTE: two processes may both find the same stale file; the later unlink can then remove the
    // lock the earlier one just took. Writes stay whole (they are renames), so the worst case is a
    // lost cache update, not a corrupt file.
    if (removeIfStale(path, clock().getTime(), staleMs)) continue;

    if (waitedMs >= timeoutMs) {
      throw new LockError('LOCK_TIMEOUT', `lock file ${path} is held by another process (waited ${waitedMs} ms)`, path);
    }
    await sleep(retryMs);
    waitedMs += retryMs;
  }
}

/** Returns true when this call created the lock file, false when it already exists. */
function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw new LockError('LOCK_FAILED', `unable to create lock file ${path}: ${fsErrorText(error)}`, path);
  }
  try {
    // The holder's pid helps a person who finds a leftover lock file.
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes the lock file when it is older than `staleMs`; returns whether the caller should retry at once. */
function removeIfStale(path: string, nowMs: number, staleMs: number): boolean {
  let modifiedMs: number;
  try {
    modifiedMs = statSync(path).mtimeMs;
  } catch (error) {
    // Released between our attempt and the stat: try again.
    if (errorCode(error) === 'ENOENT') return true;
    throw new LockError('LOCK_FAILED', `unable to inspect lock file ${path}: ${fsErrorText(error)}`, path);
  }
  if (nowMs - modifiedMs < staleMs) return false;
  try {
    unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') {
      throw new LockError('LOCK_FAILED', `unable to remove stale lock file ${path}: ${fsErrorText(error)}`, path);
    }
  }
  return true;
}

function createHandle(path: string): FileLock {
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      try {
        unlinkSync(path);
      } catch {
        // Already removed as stale by another process; nothing left to release.
      }
    },
  };
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
