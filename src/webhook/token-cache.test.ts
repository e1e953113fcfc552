import { describe, expect, it } from 'vitest';
import type { Identity } from '../arn/identity.js';
import { presignGetCallerIdentity, TokenVerifier } from '../token/index.js';
import type { StsResponse, StsTransport } from '../sts/transport.js';
import type { TokenVerifierLike } from './handler.js';
import { createCachingVerifier } from './token-cache.js';

const signedAt = new Date('2026-03-01T12:00:00Z');
const MINUTE = 60 * 1000;

async function tokenAt(date: Date, clusterId = 'test'): Promise<string> {
  const presigned = await presignGetCallerIdentity({
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    region: 'us-west-2',
    clusterId,
    now: date,
  });
  return presigned.token;
}

const identity: Identity = {
  arn: 'arn:aws:iam::111122223333:user/alice',
  canonicalArn: 'arn:aws:iam::111122223333:user/alice',
  accountId: '111122223333',
  userId: 'AIDAEXAMPLE',
  sessionName: '',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  stsEndpoint: 'sts.us-west-2.amazonaws.com',
};

/** A verifier that counts calls and succeeds unless told to fail. */
function countingVerifier() {
  const state = { calls: 0, fail: false };
  const verifier: TokenVerifierLike = {
    async verify() {
      state.calls++;
      if (state.fail) throw new Error('sts getCallerIdentity failed: denied');
      return identity;
    },
  };
  return { state, verifier };
}

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = signedAt;
  const lookups: string[] = [];
  const inner = countingVerifier();
  const cached = createCachingVerifier(inner.verifier, {
    ...options,
    clock: () => now,
    partition: 'aws',
    region: '',
    onLookup: (result) => lookups.push(result),
  });
  return { cached, inner, lookups, setNow: (date: Date) => (now = date) };
}

describe('createCachingVerifier', () => {
  it('token cache serves a repeated token', async () => {
    const { cached, inner, lookups } = setup();
    const token = await tokenAt(signedAt);
    await cached.verify(token);
    await cached.verify(token);
    expect(inner.state.calls).toBe(1);
    expect(lookups).toEqual(['miss', 'hit']);
  });

  it('token cache keeps tokens apart', async () => {
    const { cached, inner } = setup();
    await cached.verify(await tokenAt(signedAt, 'a'));
    await cached.verify(await tokenAt(signedAt, 'b'));
    expect(inner.state.calls).toBe(2);
  });

  it('token cache does not cache failures', async () => {
    const { cached, inner } = setup();
    const token = await tokenAt(signedAt);
    inner.state.fail = true;
    await expect(cached.verify(token)).rejects.toThrow('denied');
    await expect(cached.verify(token)).rejects.toThrow('denied');
    expect(inner.state.calls).toBe(2);
  });

  it('token cache expires entries after the TTL', async () => {
    const { cached, inner, setNow } = setup({ ttlMs: MINUTE });
    const token = await tokenAt(signedAt);
    await cached.verify(token);
    setNow(new Date(signedAt.getTime() + MINUTE));
    await cached.verify(token);
    expect(inner.state.calls).toBe(1);
    setNow(new Date(signedAt.getTime() + MINUTE + 1));
    await cached.verify(token);
    expect(inner.state.calls).toBe(2);
  });

  it('token cache never outlives the token window', async () => {
    const { cached, inner, setNow } = setup({ ttlMs: 60 * MINUTE });
    const token = await tokenAt(signedAt);
    setNow(new Date(signedAt.getTime() + 14 * MINUTE));
    await cached.verify(token);
    setNow(new Date(signedAt.getTime() + 15 * MINUTE));
    await cached.verify(token);
    expect(inner.state.calls).toBe(1);
    setNow(new Date(signedAt.getTime() + 15 * MINUTE + 1));
    await cached.verify(token);
    expect(inner.state.calls).toBe(2);
  });

  it('token cache evicts the least recently used', async () => {
    const { cached, inner } = setup({ maxEntries: 2 });
    const tokens = await Promise.all(['a', 'b', 'c'].map((cluster) => tokenAt(signedAt, cluster)));
    for (const token of tokens) await cached.verify(token);
    await cached.verify(tokens[0] ?? '');
    expect(inner.state.calls).toBe(4);
  });

  it('token cache skips unreadable tokens', async () => {
    const { cached, inner } = setup();
    await cached.verify('not-a-token');
    await cached.verify('not-a-token');
    expect(inner.state.calls).toBe(2);
  });
});

describe('createCachingVerifier entries', () => {
  it('token cache uses the verifier date', async () => {
    let now = signedAt;
    let calls = 0;
    const inner: TokenVerifierLike = {
      verify: async () => identity,
      // The token is not a presigned URL, so the cache can only learn the date from verifyToken.
      verifyToken: async () => {
        calls++;
        return { identity, signedAtMs: signedAt.getTime() };
      },
    };
    const cached = createCachingVerifier(inner, { clock: () => now, partition: 'aws', region: '' });
    await cached.verify('opaque-token');
    await cached.verify('opaque-token');
    expect(calls).toBe(1);
    now = new Date(signedAt.getTime() + 15 * MINUTE + 1);
    await cached.verify('opaque-token');
    expect(calls).toBe(2);
  });

  it('entryFor returns only repeated tokens', async () => {
    const { cached } = setup();
    const token = await tokenAt(signedAt);
    const verified = await cached.verify(token);
    expect(cached.entryFor(token, verified)).toBeUndefined();
    await cached.verify(token);
    expect(cached.entryFor(token, verified)?.identity).toBe(verified);
    expect(cached.entryFor(token, { ...verified })).toBeUndefined();
    expect(cached.entryFor(await tokenAt(signedAt, 'other'), verified)).toBeUndefined();
  });

  it('reuse counts a hit while the entry lives', async () => {
    const { cached, lookups, setNow } = setup({ ttlMs: MINUTE });
    const token = await tokenAt(signedAt);
    const verified = await cached.verify(token);
    await cached.verify(token);
    const entry = cached.entryFor(token, verified);
    if (entry === undefined) throw new Error('expected a cache entry');

    expect(cached.reuse(entry)).toBe(true);
    expect(lookups).toEqual(['miss', 'hit', 'hit']);
    setNow(new Date(signedAt.getTime() + MINUTE + 1));
    expect(cached.reuse(entry)).toBe(false);
    expect(lookups).toEqual(['miss', 'hit', 'hit']);
  });

  it('reuse rejects an evicted entry', async () => {
    const { cached } = setup({ maxEntries: 1 });
    const token = await tokenAt(signedAt);
    const verified = await cached.verify(token);
    await cached.verify(token);
    const entry = cached.entryFor(token, verified);
    if (entry === undefined) throw new Error('expected a cache entry');

    await cached.verify(await tokenAt(signedAt, 'other'));
    expect(cached.reuse(entry)).toBe(false);
  });
});

describe('createCachingVerifier with TokenVerifier', () => {
  it('token cache calls STS once for one token', async () => {
    let stsCalls = 0;
    const transport: StsTransport = {
      async get(): Promise<StsResponse> {
        stsCalls++;
        const body = JSON.stringify({
          GetCallerIdentityResponse: {
            GetCallerIdentityResult: { Account: '111122223333', Arn: identity.arn, UserId: identity.userId },
            ResponseMetadata: { RequestId: 'r' },
          },
        });
        return { statusCode: 200, readBody: async () => Buffer.from(body) };
      },
    };
    const clock = () => signedAt;
    const verifier = createCachingVerifier(new TokenVerifier({ clusterId: 'test', partition: 'aws', clock, transport }), {
      clock,
      partition: 'aws',
      region: '',
    });
    const token = await tokenAt(signedAt);
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).toEqual(first);
    expect(stsCalls).toBe(1);
  });
});
