import { describe, expect, it } from 'vitest';
import type { ClusterUpdate } from './client.js';
import { waitForUpdate } from './wait.js';

/** Builds a fake DescribeUpdate that returns the statuses in order, with a clock that sleep advances. */
function scripted(statuses: string[]) {
  let now = 0;
  let calls = 0;
  const describe = async (id: string): Promise<ClusterUpdate> => {
    const status = statuses[Math.min(calls, statuses.length - 1)] ?? 'InProgress';
    calls += 1;
    return { id, status, errors: status === 'Failed' ? ['insufficient platform version'] : [] };
  };
  return { describe, now: () => now, sleep: async (ms: number) => { now += ms; }, calls: () => calls };
}

describe('waitForUpdate', () => {
  it('returns when successful', async () => {
    const fake = scripted(['InProgress', 'InProgress', 'Successful']);
    const progress: string[] = [];
    const update = await waitForUpdate(fake.describe, 'u1', { ...fake, intervalMs: 1000, onProgress: (item) => progress.push(item.status) });
    expect(update.status).toBe('Successful');
    expect(progress).toEqual(['InProgress', 'InProgress', 'Successful']);
  });

  it('throws on failure with EKS errors', async () => {
    const fake = scripted(['InProgress', 'Failed']);
    await expect(waitForUpdate(fake.describe, 'u1', { ...fake, intervalMs: 1000 })).rejects.toThrow('ended with status Failed: insufficient platform version');
  });

  it('stops at the timeout', async () => {
    // Polls at 0, 1, 2, 3, 4 and 5 s; a sixth sleep would pass the 5 s limit.
    const fake = scripted(['InProgress']);
    await expect(waitForUpdate(fake.describe, 'u1', { ...fake, intervalMs: 1000, timeoutMs: 5000 })).rejects.toThrow('still InProgress');
    expect(fake.calls()).toBe(6);
  });
});
