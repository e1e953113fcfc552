import { run } from './main.js';
import { processIo } from './node.js';

/**
 * Process entry and the only caller of process.exit. Long-running commands (`serve`, `emulator`)
 * resolve `run` only when they shut down, so exiting here never cuts a server short; exiting at all
 * matters because the AWS SDK may leave keep-alive sockets open after a short command.
 */
export async function main(): Promise<void> {
  const code = await run(process.argv.slice(2), processIo());
  process.stdout.write('', () => process.exit(code));
}
