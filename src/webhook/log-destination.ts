import { writeSync } from 'node:fs';

/** A pino destination: pino calls `write` with each serialized line and `flush` from `logger.flush()`. */
export interface BatchedLogDestination {
  write(line: string): void;
  /** Writes every pending line now. */
  flush(): void;
}

export interface BatchedLogDestinationOptions {
  /** File descriptor to write to, e.g. 2 for stderr. */
  readonly fd: number;
  /** Pending characters (UTF-16 code units) that trigger an immediate write. Default: 65,536. */
  readonly maxPendingChars?: number;
  /** Called once when the reader of a pipe goes away (EPIPE). Later lines are dropped. */
  readonly onBrokenPipe?: () => void;
}

/** Wait before retrying a write that failed with EAGAIN, in ms. */
const RETRY_WAIT_MS = 1;
const retrySignal = new Int32Array(new SharedArrayBuffer(4));

/**
 * Creates a log destination that collects the lines of one event-loop iteration and writes them
 * with one synchronous `write(2)` in the check phase of that iteration (`setImmediate`). A busy
 * webhook serves many requests per iteration, so this replaces one system call per request with
 * one per iteration, and the event loop does not block for I/O while a line is pending. Pending
 * lines are also written on the process `exit` event, which follows `process.exit()`, a normal end
 * and an uncaught exception. Writes are synchronous like pino's `sync: true` destination, so a slow
 * reader slows the server instead of growing memory. Pending lines of more than `maxPendingChars`
 * are written at once.
 * NOTE: a process killed by SIGKILL or a native abort loses the lines of its last iteration, and
 * after an uncaught exception those lines follow Node's stack trace on stderr.
 */
export function createBatchedLogDestination(options: BatchedLogDestinationOptions): BatchedLogDestination {
  const maxPendingChars = options.maxPendingChars ?? 64 * 1024;
  let pending: string[] = [];
  let pendingChars = 0;
  let scheduled = false;
  let broken = false;

  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.length === 1 ? (pending[0] as string) : pending.join('');
    pending = [];
    pendingChars = 0;
    if (broken) return;
    if (!writeText(options.fd, text)) {
      broken = true;
      options.onBrokenPipe?.();
    }
  };
  process.on('exit', flush);

  return {
    write(line) {
      if (broken) return;
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= maxPendingChars) {
        flush();
      } else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/**
 * Writes `text` as UTF-8. The first attempt passes the string to write(2) without building a
 * Buffer, and only a partial write or EAGAIN falls back to writeAll. Returns false on EPIPE.
 */
function writeText(fd: number, text: string): boolean {
  let written = 0;
  try {
    written = writeSync(fd, text, null, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return false;
    if (code !== 'EAGAIN') throw error;
  }
  if (written === Buffer.byteLength(text, 'utf8')) return true;
  return writeAll(fd, Buffer.from(text, 'utf8').subarray(written));
}

/**
 * Writes all of `data`, retrying partial writes and EAGAIN (a non-blocking pipe that is full).
 * Returns false when the reader went away (EPIPE); rethrows any other error.
 */
function writeAll(fd: number, data: Buffer): boolean {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return false;
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(retrySignal, 0, 0, RETRY_WAIT_MS);
    }
  }
  return true;
}
