import { describe, expect, it } from 'vitest';
import { KubeiamError } from '../errors.js';
import { presignGetCallerIdentity, type PresignOptions } from './presign.js';

// aws-iam-authenticator's TestGetWithSTS.
const golden: PresignOptions = {
  credentials: { accessKeyId: 'ASIAR2TG44V6AS3ZZE7C', secretAccessKey: '4KD5cntGcVmLWRdF5wvNRuzNL5Qxmp6OKVY6Fz/Q' },
  region: 'us-west-2',
  clusterId: 'test-cluster',
  now: new Date(1682640000 * 1000),
};
const goldenUrl =
  'https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
  '&X-Amz-Credential=ASIAR2TG44V6AS3ZZE7C%2F20230428%2Fus-west-2%2Fsts%2Faws4_request&X-Amz-Date=20230428T000000Z' +
  '&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id' +
  '&X-Amz-Signature=e211dba77aba9dc44b0b6be38b8eaad092599c5157f6314444c5b9d85747f5ce';
const goldenToken =
  'k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BU0lBUjJURzQ0VjZBUzNaWkU3QyUyRjIwMjMwNDI4JTJGdXMtd2VzdC0yJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyMzA0MjhUMDAwMDAwWiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TaWduYXR1cmU9ZTIxMWRiYTc3YWJhOWRjNDRiMGI2YmUzOGI4ZWFhZDA5MjU5OWM1MTU3ZjYzMTQ0NDRjNWI5ZDg1NzQ3ZjVjZQ';

describe('presignGetCallerIdentity', () => {
  it('reproduces the golden URL', async () => {
    expect((await presignGetCallerIdentity(golden)).url).toBe(goldenUrl);
  });

  it('reproduces the golden token', async () => {
    expect((await presignGetCallerIdentity(golden)).token).toBe(goldenToken);
  });

  it('expires 14 minutes after signing', async () => {
    expect((await presignGetCallerIdentity(golden)).expiration.toISOString()).toBe('2023-04-28T00:14:00.000Z');
  });

  it('drops sub-seconds from X-Amz-Date', async () => {
    const { url } = await presignGetCallerIdentity({ ...golden, now: new Date(1682640000 * 1000 + 999) });
    expect(url).toBe(goldenUrl);
  });

  it('signs the session token in sorted position', async () => {
    const { url } = await presignGetCallerIdentity({
      ...golden,
      credentials: { ...golden.credentials, sessionToken: 'tok/en+=' },
    });
    const keys = new URL(url).searchParams;
    expect([...keys.keys()]).toEqual([
      'Action',
      'Version',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-Security-Token',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
    ]);
    expect(url).toContain('&X-Amz-Security-Token=tok%2Fen%2B%3D&');
    expect(url).not.toContain(goldenUrl.slice(-64));
  });

  it.each([
    [{ region: 'aws-global' }, 'https://sts.amazonaws.com/?', '%2Fus-east-1%2Fsts%2F'],
    [{ region: 'cn-north-1' }, 'https://sts.cn-north-1.amazonaws.com.cn/?', '%2Fcn-north-1%2Fsts%2F'],
    [{ region: 'us-west-2', fips: true }, 'https://sts-fips.us-west-2.amazonaws.com/?', '%2Fus-west-2%2Fsts%2F'],
    [{ region: 'us-west-2', dualStack: true }, 'https://sts.us-west-2.api.aws/?', '%2Fus-west-2%2Fsts%2F'],
    [{ region: 'us-west-2', host: 'sts.amazonaws.com' }, 'https://sts.amazonaws.com/?', '%2Fus-west-2%2Fsts%2F'],
  ])('selects the endpoint for %j', async (overrides, prefix, scope) => {
    const { url } = await presignGetCallerIdentity({ ...golden, ...overrides });
    expect(url.startsWith(prefix)).toBe(true);
    expect(url).toContain(scope);
  });

  it('rejects an empty cluster ID', async () => {
    await expect(presignGetCallerIdentity({ ...golden, clusterId: '' })).rejects.toThrow(KubeiamError);
  });

  it('rejects an invalid region', async () => {
    await expect(presignGetCallerIdentity({ ...golden, region: 'us-west-2.evil.com/x' })).rejects.toThrow(
      'invalid region "us-west-2.evil.com/x"',
    );
  });
});
