import { printCachedToken } from './commands/token-fast.js';

/**
 * Process entry and the only caller of process.exit. Long-running commands (`serve`, `emulator`)
 * resolve `run` only when they shut down, so exiting here never cuts a server short; exiting at all
 * matters because the AWS SDK may leave keep-alive sockets open after a short command.
 */
export async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // kubectl runs `kubeiam token` before every command: a cached token is printed before the CLI
  // framework loads, which is why main.js is imported only after this check.
  if (printCachedToken(argv, process.env, new Date(), (text) => process.stdout.write(text))) return;

  // The AWS SDK prints a multi-line notice on Node.js 20 in every process; as an exec plugin that
  // would reach the terminal on every kubectl call. Setting the variable yourself keeps your choice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [{ run }, { processIo }] = await Promise.all([import('./main.js'), import('./node.js')]);
  const code = await run(argv, processIo());
  process.stdout.write('', () => process.exit(code));
}
