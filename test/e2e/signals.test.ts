import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../bin/kubeiam.js', import.meta.url));

describe('kubeiam serve', () => {
  it('stops after its log reader has gone', async () => {
    // `kubeiam serve 2>&1 | head -1`: stdout and stderr share one pipe that closes after a line.
    // The JSON logger used to retry its failed writes and keep the process alive after SIGTERM.
    const dir = mkdtempSync(join(tmpdir(), 'kubeiam-signals-'));
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '-i', 'x', '--state-dir', join(dir, 'state'), '--port', '0', '--bootstrap-admin', 'arn:aws:iam::111122223333:user/a'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve) => child.stderr.once('data', () => resolve()));
    child.stdout.destroy();
    child.stderr.destroy();

    const exited = new Promise<'exited'>((resolve) => child.once('exit', () => resolve('exited')));
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGTERM');
    const timeout = new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 10_000));
    const result = await Promise.race([exited, timeout]);
    if (result === 'timed out') child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });

    expect(result).toBe('exited');
  });
});
