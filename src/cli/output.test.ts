import { describe, expect, it } from 'vitest';
import { colorsFor } from './output.js';

describe('colorsFor', () => {
  it.each([
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, {}, false],
    [false, { NO_COLOR: '1' }, false],
  ] as const)('tty %s env %j colours %s', (isTTY, env, coloured) => {
    const text = colorsFor({ isTTY, env }).bad('✗');

    expect(text !== '✗').toBe(coloured);
    expect(text).toContain('✗');
  });
});
