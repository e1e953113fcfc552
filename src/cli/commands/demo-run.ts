import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../../demo/lab.js';
import { playScenario } from '../../demo/scenario.js';
import { EXIT, type CliIo, type CommandContext } from '../io.js';
import type { DemoOptions } from './servers.js';

/** `kubeiam demo`: plays the whole access story on loopback servers and reports each step. */
export async function runDemo(options: DemoOptions, context: CommandContext): Promise<number> {
  const { io, t } = context;
  const dir = mkdtempSync(join(tmpdir(), 'kubeiam-demo-'));
  const lab = await startLab({ dir, useKubectl: options.kubectl, ...(io.env.PATH ? { path: io.env.PATH } : {}) });
  // Ctrl-C must not leave the working directory (with its demo credentials file) behind.
  const removeOnInterrupt = (): void => {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', removeOnInterrupt);
  try {
    io.stdout(`${t('demo.intro', { sts: lab.emulator.url, dir })}\n`);
    io.stdout(`${lab.kubectl ? t('demo.withKubectl', { kubectl: lab.kubectl }) : t('demo.withoutKubectl')}\n`);

    const { run } = await import('../main.js');
    const report = await playScenario(lab, {
      print: (text) => io.stdout(text),
      t,
      kubeiam: (argv) => runCaptured(run, argv, { ...io, cwd: dir }, context),
    });

    const total = report.passed + report.failed;
    io.stdout(`\n${report.failed === 0 ? t('demo.success', { total }) : t('demo.failure', { failed: report.failed, total })}\n`);
    io.stdout(`${report.passed} passed, ${report.failed} failed\n`);
    return report.failed === 0 ? EXIT.ok : EXIT.error;
  } finally {
    process.off('SIGINT', removeOnInterrupt);
    await lab.close();
    if (options.keep) io.stdout(`${t('demo.kept', { dir })}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function runCaptured(
  run: (argv: readonly string[], io: CliIo) => Promise<number>,
  argv: readonly string[],
  io: CliIo,
  context: CommandContext,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const captured: CliIo = {
    ...io,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTTY: false,
  };
  const code = await run([...argv, '--lang', context.lang], captured);
  return { code, stdout, stderr };
}
