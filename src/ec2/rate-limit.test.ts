import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limit.js';

/** Creates a clock that moves only when a caller sleeps. */
function manualClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    elapsed: () => now,
    clock: { now: () => now, sleep: async (ms: number) => { sleeps.push(ms); now += ms; } },
  };
}

describe('TokenBucket', () => {
  it.each([
    [1, 1, 5],
    [15, 5, 20],
    [8, 2, 16],
  ])('TokenBucket qps %d burst %d serves %d calls in count/qps seconds', async (qps, burst, count) => {
    const time = manualClock();
    const bucket = new TokenBucket(qps, burst, time.clock);
    for (let call = 0; call < count; call++) await bucket.acquire();
    expect(time.elapsed()).toBeLessThanOrEqual((count / qps) * 1000 + 1);
    expect(time.elapsed()).toBeGreaterThanOrEqual(((count - burst) / qps) * 1000 - 1);
  });

  it('TokenBucket lets the burst through at once', async () => {
    const time = manualClock();
    const bucket = new TokenBucket(1, 3, time.clock);
    for (let call = 0; call < 3; call++) await bucket.acquire();
    expect(time.sleeps).toEqual([]);
  });

  it('TokenBucket qps 0 is unlimited', async () => {
    const time = manualClock();
    const bucket = new TokenBucket(0, 0, time.clock);
    for (let call = 0; call < 100; call++) await bucket.acquire();
    expect(time.sleeps).toEqual([]);
  });

  it('TokenBucket rejects burst below one', () => {
    expect(() => new TokenBucket(1, 0)).toThrow('burst must be at least 1');
  });
});
