import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface FileWatcherOptions {
  /** Called with the file's text on the first check and whenever the text changes. */
  onLoad(text: string): void;
  /** Called when the file does not exist: on the first check, and after each removal. */
  onDelete(): void;
  /** Called for read and watch failures, and when a callback throws. Watching goes on. */
  onError(error: Error): void;
  /** Interval of the stat poll that backs up fs.watch, in ms. Default: 1000. */
  readonly pollIntervalMs?: number;
  /** Quiet time after a directory event before the file is read, in ms. Default: 50. */
  readonly debounceMs?: number;
  /** Use fs.watch on the directory; false leaves only polling. Default: true. */
  readonly useFsWatch?: boolean;
}

export interface FileWatcher {
  /** Resolves after the first check has called onLoad or onDelete. */
  readonly ready: Promise<void>;
  /** Checks the file now (reading it even if its metadata looks unchanged). */
  check(): Promise<void>;
  /** Stops watching and waits for a check in progress. */
  close(): Promise<void>;
}

/**
 * Watches one file for changes, creation and removal. fs.watch runs on the parent directory, so
 * atomic rename-replace and Kubernetes' ConfigMap volume updates (a `..data` symlink swap) are
 * seen. A stat poll backs it up where fs.watch misses events (network file systems, some
 * containers). Callbacks run one at a time and only when the text changed.
 */
export function createFileWatcher(path: string, options: FileWatcherOptions): FileWatcher {
  const state = new WatchState(path, options);
  const ready = state.enqueue(true);

  state.startWatching();
  const poll = setInterval(() => {
    state.startWatching();
    void state.enqueue(false);
  }, options.pollIntervalMs ?? 1000);
  poll.unref();

  return {
    ready,
    check: () => state.enqueue(true),
    async close() {
      clearInterval(poll);
      await state.close();
    },
  };
}

/** Marks a file that is absent, as opposed to `undefined` (not checked yet). */
const ABSENT = null;

class WatchState {
  private lastText: string | typeof ABSENT | undefined;
  private lastSignature: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly options: FileWatcherOptions,
  ) {}

  /** Runs checks one after another; a failing check is reported and never breaks the chain. */
  enqueue(force: boolean): Promise<void> {
    this.queue = this.queue.then(() => this.checkOnce(force)).catch((error: unknown) => this.report(error));
    return this.queue;
  }

  startWatching(): void {
    if (this.closed || this.watcher !== undefined || this.options.useFsWatch === false) {
      return;
    }
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, () => this.onEvent());
    } catch (error) {
      // The directory may not exist yet; the poll retries on each tick.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.report(error);
      }
      return;
    }
    this.watcher.on('error', (error) => {
      this.stopWatching();
      this.report(error);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.debounce);
    this.stopWatching();
    await this.queue;
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Schedules a check on every directory event, because a symlink swap names `..data`, not the file. */
  private onEvent(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.enqueue(true), this.options.debounceMs ?? 50);
  }

  private async checkOnce(force: boolean): Promise<void> {
    if (this.closed) {
      return;
    }

    const stats = await statOrAbsent(this.path);
    if (stats === ABSENT) {
      this.markAbsent();
      return;
    }
    if (!stats.isFile()) {
      throw new Error(`${this.path} is not a regular file`);
    }

    const signature = `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
    if (!force && signature === this.lastSignature) {
      return;
    }
    const text = await readFileOrAbsent(this.path);
    if (text === ABSENT) {
      this.markAbsent();
      return;
    }
    this.lastSignature = signature;
    if (text !== this.lastText) {
      this.lastText = text;
      this.options.onLoad(text);
    }
  }

  private markAbsent(): void {
    this.lastSignature = undefined;
    if (this.lastText !== ABSENT) {
      this.lastText = ABSENT;
      this.options.onDelete();
    }
  }

  private report(error: unknown): void {
    const wrapped = error instanceof Error ? error : new Error(String(error));
    try {
      this.options.onError(wrapped);
    } catch {
      // onError is the last place to report to; a failure there must not stop the watcher.
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function statOrAbsent(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (isMissing(error)) {
      return ABSENT;
    }
    throw error;
  }
}

async function readFileOrAbsent(path: string): Promise<string | typeof ABSENT> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) {
      return ABSENT;
    }
    throw error;
  }
}
