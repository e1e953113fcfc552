import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-serve-cli-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kubeiam serve start checks', () => {
  it('rejects a missing aws-auth file', async () => {
    const result = await runCli(['serve', '-i', 'demo', '--aws-auth-file', 'nope.yaml', '--state-dir', 'state', '--port', '0'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nope.yaml does not exist');
  });

  it('rejects a missing cluster ID', async () => {
    const result = await runCli(['serve', '--state-dir', 'state', '--port', '0'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cluster ID cannot be empty');
  });
});
