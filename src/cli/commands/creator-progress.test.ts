import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { createProgress } from './creator-progress.js';

function fakeIo(isTTY: boolean, times: number[]): { io: CliIo; stderr: () => string } {
  let stderr = '';
  let call = 0;
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (text) => {
      stderr += text;
    },
    env: {},
    cwd: '/',
    now: () => new Date(times[Math.min(call++, times.length - 1)] ?? 0),
    isTTY,
    readStdin: async () => '',
  };
  return { io, stderr: () => stderr };
}

describe('createProgress', () => {
  it.each([
    ['terminal after a second', true, true, [0, 1500], true],
    ['terminal within a second', true, true, [0, 400], false],
    ['not a terminal', false, true, [0, 1500], false],
    ['JSON output', true, false, [0, 1500], false],
  ])('createProgress %s', (_name, isTTY, enabled, times, shown) => {
    const { io, stderr } = fakeIo(isTTY, times);
    const progress = createProgress(io, enabled);
    progress.update('page 2');
    expect(stderr().includes('page 2')).toBe(shown);
  });

  it('createProgress done clears the line', () => {
    const { io, stderr } = fakeIo(true, [0, 1500]);
    const progress = createProgress(io, true);
    progress.update('page 2');
    progress.done();
    expect(stderr().endsWith('\r\u001b[K')).toBe(true);
  });

  it('createProgress done silent without output', () => {
    const { io, stderr } = fakeIo(true, [0, 10]);
    const progress = createProgress(io, true);
    progress.update('page 1');
    progress.done();
    expect(stderr()).toBe('');
  });
});
