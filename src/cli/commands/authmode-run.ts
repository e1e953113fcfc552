import { usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import { parseOutputFormat } from '../output.js';
import { eksClientFor, guardRules, writeStructured } from './entry-common.js';
import type { AuthModeOptions } from './authmode.js';

/** Poll interval while waiting for an update. Default: 10 s; KUBEIAM_UPDATE_POLL_MS shortens it in tests. */
const POLL_MS = 10 * 1000;

export async function runAuthMode(action: 'show' | 'set', options: AuthModeOptions, context: CommandContext): Promise<number> {
  const format = parseOutputFormat(options.output, ['table', 'json', 'yaml']);
  return guardRules(context, async () => (action === 'show' ? show(options, format, context) : set(options, context)));
}

async function show(options: AuthModeOptions, format: string, context: CommandContext): Promise<number> {
  const client = await eksClientFor(options, context);
  const cluster = await client.describeCluster();
  if (!writeStructured(cluster, format, context)) {
    context.io.stdout(`${context.t('authMode.current', { cluster: cluster.name, mode: cluster.authenticationMode })}\n`);
  }
  return EXIT.ok;
}

function timeoutMs(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw usageError('authMode.timeoutInvalid', { value });
  return seconds * 1000;
}

async function set(options: AuthModeOptions, context: CommandContext): Promise<number> {
  const { assertNoProblems } = await import('../../accessentries/errors.js');
  const { checkMode } = await import('../../accessentries/rules.js');
  if (!options.mode) throw usageError('authMode.modeMissing');
  assertNoProblems(checkMode(options.mode));
  const timeout = timeoutMs(options.timeout);

  const client = await eksClientFor(options, context);
  const update = await client.setAuthenticationMode(options.mode);
  context.io.stdout(`${context.t('authMode.started', { id: update.id, mode: options.mode })}\n`);
  if (!options.wait) return EXIT.ok;

  const { waitForUpdate } = await import('../../accessentries/wait.js');
  const poll = Number(context.io.env.KUBEIAM_UPDATE_POLL_MS);
  await waitForUpdate((id) => client.describeUpdate(id), update.id, {
    intervalMs: Number.isInteger(poll) && poll > 0 ? poll : POLL_MS,
    timeoutMs: timeout,
    now: () => context.io.now().getTime(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onProgress: (current, elapsed) => {
      if (context.io.isTTY) context.io.stderr(`\r${context.t('authMode.progress', { id: current.id, status: current.status, seconds: Math.round(elapsed / 1000) })}`);
    },
  });
  if (context.io.isTTY) context.io.stderr('\n');
  context.io.stdout(`${context.t('authMode.done', { mode: options.mode })}\n`);
  return EXIT.ok;
}

