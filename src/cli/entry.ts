import { run } from './main.js';
import { processIo } from './node.js';

/**
 * Process entry and the only caller of process.exit. Long-running commands (`serve`, `emulator`)
 * resolve `run` only when they shut down, so exiting here never cuts a server short. The explicit
 * exit matters because the AWS SDK may leave keep-alive sockets open after a short command.
 */
export async function main(): Promise<void> {
  // The AWS SDK prints a multi-line notice on Node.js 20 in every process. Through the exec plugin
  // it would reach the terminal on every kubectl call. Setting the variable yourself keeps your choice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const code = await run(process.argv.slice(2), processIo());
  process.exitCode = code;
  // Exit once stdout has drained. When the reader has gone (`kubeiam serve | head -1`), the write
  // fails and its callback may never run, so an error or a short timer ends the process as well.
  const exit = (): never => process.exit(code);
  process.stdout.once('error', exit);
  setTimeout(exit, 2000).unref();
  process.stdout.write('', exit);
}
