import type { CliIo } from '../io.js';

/** Waits shorter than this print nothing. */
const QUIET_MS = 1000;

export interface Progress {
  update(text: string): void;
  done(): void;
}

/**
 * Progress on one stderr line for waits longer than a second, on a terminal only, and never with
 * machine-readable output (the caller passes `enabled: false` for `-o json`).
 */
export function createProgress(io: CliIo, enabled: boolean): Progress {
  const started = io.now().getTime();
  let lineWritten = false;
  return {
    update(text) {
      if (!enabled || !io.isTTY || io.now().getTime() - started < QUIET_MS) return;
      io.stderr(`\r\u001b[K${text}`);
      lineWritten = true;
    },
    done() {
      if (lineWritten) io.stderr('\r\u001b[K');
      lineWritten = false;
    },
  };
}
