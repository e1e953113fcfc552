import { describe, expect, it } from 'vitest';
import { createPrivateDnsResolver, type DescribeInstances } from './resolver.js';

/** A fake EC2: instances `i-…N` resolve to `ip-N`; it records every call's IDs. */
function fakeEc2(options: { known?: (id: string) => boolean; fail?: Error } = {}) {
  const calls: string[][] = [];
  const describe: DescribeInstances = async (ids) => {
    calls.push([...ids]);
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (options.fail !== undefined) throw options.fail;
    const known = options.known ?? (() => true);
    const missing = ids.filter((id) => !known(id));
    if (missing.length > 0 && ids.length > 1) {
      throw Object.assign(new Error(`The instance IDs '${missing.join(', ')}' do not exist`), { name: 'InvalidInstanceID.NotFound' });
    }
    return ids.filter(known).map((id) => ({ instanceId: id, privateDnsName: `ip-${id.slice(2)}` }));
  };
  return { calls, describe };
}

const id = (n: number): string => `i-${String(n).padStart(17, '0')}`;

describe('createPrivateDnsResolver', () => {
  it('resolver resolves one instance', async () => {
    const ec2 = fakeEc2();
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0 });
    await expect(resolver.lookup(id(1))).resolves.toBe(`ip-${id(1).slice(2)}`);
  });

  it('resolver shares concurrent lookups of one ID', async () => {
    const ec2 = fakeEc2();
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0 });
    const names = await Promise.all(Array.from({ length: 20 }, () => resolver.lookup(id(7))));
    expect(new Set(names).size).toBe(1);
    expect(ec2.calls).toEqual([[id(7)]]);
  });

  it('resolver batches 100 concurrent lookups', async () => {
    const ec2 = fakeEc2();
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0 });
    const ids = Array.from({ length: 100 }, (_, index) => id(index + 1));
    const names = await Promise.all(ids.map((instanceId) => resolver.lookup(instanceId)));
    expect(names).toEqual(ids.map((instanceId) => `ip-${instanceId.slice(2)}`));
    expect(ec2.calls).toHaveLength(1);
    expect(ec2.calls[0]).toHaveLength(100);
  });

  it('resolver splits batches above the maximum', async () => {
    const ec2 = fakeEc2();
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0, maxBatchSize: 100 });
    await Promise.all(Array.from({ length: 250 }, (_, index) => resolver.lookup(id(index + 1))));
    expect(ec2.calls.map((call) => call.length)).toEqual([100, 100, 50]);
  });

  it('resolver caches resolved names', async () => {
    const ec2 = fakeEc2();
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0 });
    await resolver.lookup(id(1));
    await resolver.lookup(id(1));
    expect(ec2.calls).toHaveLength(1);
    expect(resolver.cacheSize).toBe(1);
  });

  it('resolver cache is bounded', async () => {
    const ec2 = fakeEc2();
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0, maxCacheEntries: 2 });
    for (const n of [1, 2, 3]) await resolver.lookup(id(n));
    expect(resolver.cacheSize).toBe(2);
    await resolver.lookup(id(1));
    expect(ec2.calls).toHaveLength(4);
  });

  it('resolver rejects an unknown instance', async () => {
    const ec2 = fakeEc2({ known: () => false });
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0 });
    await expect(resolver.lookup(id(9))).rejects.toThrow(`failed to find node ${id(9)}`);
  });

  it('resolver does not cache failures', async () => {
    let exists = false;
    const ec2 = fakeEc2({ known: () => exists });
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0 });
    await expect(resolver.lookup(id(3))).rejects.toThrow('failed to find node');
    exists = true;
    await expect(resolver.lookup(id(3))).resolves.toBe(`ip-${id(3).slice(2)}`);
  });

  it('resolver retries a batch one ID at a time when one is unknown', async () => {
    const ec2 = fakeEc2({ known: (instanceId) => instanceId !== id(2) });
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0 });
    const results = await Promise.allSettled([1, 2, 3].map((n) => resolver.lookup(id(n))));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(ec2.calls).toHaveLength(4);
  });

  it('resolver reports EC2 errors with the instance ID', async () => {
    const ec2 = fakeEc2({ fail: new Error('RequestLimitExceeded') });
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0 });
    await expect(resolver.lookup(id(4))).rejects.toThrow(`failed querying private DNS from EC2 API for node ${id(4)}: RequestLimitExceeded`);
  });

  it('resolver counts each call', async () => {
    const ec2 = fakeEc2();
    let counted = 0;
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 0, onCall: () => counted++, maxBatchSize: 10 });
    await Promise.all(Array.from({ length: 30 }, (_, index) => resolver.lookup(id(index))));
    expect(counted).toBe(3);
  });

  it('resolver waits for the rate limiter', async () => {
    const ec2 = fakeEc2();
    let now = 0;
    const sleeps: number[] = [];
    const clock = { now: () => now, sleep: async (ms: number) => { sleeps.push(ms); now += ms; } };
    const resolver = createPrivateDnsResolver({ describeInstances: ec2.describe, qps: 2, burst: 1, maxBatchSize: 1, clock });
    await Promise.all([1, 2, 3].map((n) => resolver.lookup(id(n))));
    expect(ec2.calls).toHaveLength(3);
    expect(sleeps.length).toBeGreaterThan(0);
  });
});
