import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly now?: Date;
  readonly stdin?: string;
  readonly cwd?: string;
}

/** Runs the CLI in-process with captured output and an explicit, minimal environment. */
export async function runCli(argv: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { AWS_EC2_METADATA_DISABLED: 'true', ...options.env },
    cwd: options.cwd ?? process.cwd(),
    now: () => options.now ?? new Date(),
    isTTY: false,
    readStdin: async () => options.stdin ?? '',
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
