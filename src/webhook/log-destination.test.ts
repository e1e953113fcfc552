import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchedLogDestination } from './log-destination.js';

const BUILT_MODULE = fileURLToPath(new URL('../../dist/webhook/log-destination.js', import.meta.url));

let dir: string;
let file: string;
let fd: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-log-'));
  file = join(dir, 'log.jsonl');
  fd = openSync(file, 'w');
});

afterEach(() => {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

const written = (): string => readFileSync(file, 'utf8');
const nextIteration = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createBatchedLogDestination', () => {
  it('writes an iteration at its end', async () => {
    const destination = createBatchedLogDestination({ fd });
    destination.write('{"n":1}\n');
    destination.write('{"n":2}\n');
    expect(written()).toBe('');

    await nextIteration();
    expect(written()).toBe('{"n":1}\n{"n":2}\n');
  });

  it('keeps order across iterations', async () => {
    const destination = createBatchedLogDestination({ fd });
    destination.write('a\n');
    await nextIteration();
    destination.write('b\n');
    await nextIteration();
    expect(written()).toBe('a\nb\n');
  });

  it('flush writes at once', () => {
    const destination = createBatchedLogDestination({ fd });
    destination.write('line\n');
    destination.flush();
    expect(written()).toBe('line\n');
  });

  it('writes when pending lines reach the limit', () => {
    const destination = createBatchedLogDestination({ fd, maxPendingChars: 8 });
    destination.write('1234\n');
    expect(written()).toBe('');
    destination.write('5678\n');
    expect(written()).toBe('1234\n5678\n');
  });

  it('writes non-ASCII text as UTF-8', async () => {
    const destination = createBatchedLogDestination({ fd });
    destination.write('{"msg":"已拒绝 ✓"}\n');
    await nextIteration();
    expect(written()).toBe('{"msg":"已拒绝 ✓"}\n');
  });
});

describe('createBatchedLogDestination in a process', () => {
  /** Runs a module that logs two lines to stderr and then runs `ending`; returns its exit status and stderr. */
  function runEnding(ending: string): { status: number | null; stderr: string } {
    const source = [
      `import { createBatchedLogDestination } from ${JSON.stringify(BUILT_MODULE)};`,
      'const destination = createBatchedLogDestination({ fd: 2 });',
      "destination.write('first\\n');",
      "destination.write('second\\n');",
      ending,
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8' });
    return { status: result.status, stderr: result.stderr };
  }

  it.runIf(existsSync(BUILT_MODULE))('process.exit writes pending lines', () => {
    const result = runEnding('process.exit(3);');
    expect(result.status).toBe(3);
    expect(result.stderr).toBe('first\nsecond\n');
  });

  it.runIf(existsSync(BUILT_MODULE))('uncaught exception writes pending lines', () => {
    const result = runEnding("throw new Error('boom');");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('boom');
    expect(result.stderr).toContain('first\nsecond\n');
  });

  it.runIf(existsSync(BUILT_MODULE))('closed reader drops lines without a crash', () => {
    // `head -c 0` exits at once, so the child's stdout pipe soon has no reader. The child writes
    // until a write fails with EPIPE, then writes once more, which must be dropped without another
    // report.
    const source = [
      `import { createBatchedLogDestination } from ${JSON.stringify(BUILT_MODULE)};`,
      'let broken = 0;',
      'const destination = createBatchedLogDestination({ fd: 1, onBrokenPipe: () => broken++ });',
      'const timer = setInterval(() => {',
      "  destination.write('line\\n');",
      '  destination.flush();',
      '  if (broken === 0) return;',
      '  clearInterval(timer);',
      "  destination.write('after\\n');",
      '  destination.flush();',
      '  process.stderr.write(`broken=${broken}\\n`);',
      '}, 10);',
    ].join('\n');
    const pipeline = `"${process.execPath}" --input-type=module -e "$0" | head -c 0`;
    const result = spawnSync('sh', ['-c', pipeline, source], { encoding: 'utf8', timeout: 10_000 });
    expect(result.stderr).toBe('broken=1\n');
    expect(result.status).toBe(0);
  });
});
