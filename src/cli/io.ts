import type { Env } from '../credentials/types.js';
import type { Lang, Translate } from '../i18n/catalog.js';

/** Everything a command touches outside its arguments, so tests drive the CLI in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Env;
  readonly cwd: string;
  readonly now: () => Date;
  /** Whether stdout is a terminal (colour and progress only then). */
  readonly isTTY: boolean;
  /** Reads all of standard input (for `-f -`). */
  readonly readStdin: () => Promise<string>;
}

/** Context a command receives besides its options: I/O, language and translator. */
export interface CommandContext {
  readonly io: CliIo;
  readonly lang: Lang;
  readonly t: Translate;
}

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  /** A check ran and found problems (lint findings, an unmapped identity in explain). */
  findings: 3,
} as const;
