import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { partitionForRegion } from '../arn/index.js';
import { TOKEN_VALIDITY_MS } from './constants.js';
import { formatExecCredential } from './execCredential.js';
import { parseAmzDate } from './goTime.js';
import { parseToken } from './parse.js';
import { presignGetCallerIdentity } from './presign.js';

/** One token the AWS CLI (`aws eks get-token`) produced, with its inputs. */
interface CliVector {
  readonly name: string;
  readonly region: string;
  readonly clusterId: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string | null };
  readonly signedAt: string;
  readonly execCredential: unknown;
  readonly token: string;
  readonly presignedUrl: string;
}

// The vectors live beside the repository, in ../shared/vectors.
const vectors = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/aws-cli-tokens.json', import.meta.url), 'utf8'),
) as CliVector[];

const signingTime = (vector: CliVector): Date => new Date(parseAmzDate(vector.signedAt).epochMs);

const presign = (vector: CliVector) =>
  presignGetCallerIdentity({
    credentials: {
      accessKeyId: vector.credentials.accessKeyId,
      secretAccessKey: vector.credentials.secretAccessKey,
      ...(vector.credentials.sessionToken === null ? {} : { sessionToken: vector.credentials.sessionToken }),
    },
    region: vector.region,
    clusterId: vector.clusterId,
    now: signingTime(vector),
  });

const sortedQuery = (url: string): string[] => [...new URL(url).searchParams].map(([k, v]) => `${k}=${v}`).sort();

const verifyAt = (vector: CliVector, offsetMs: number) =>
  parseToken(vector.token, {
    partition: partitionForRegion(vector.region).id,
    region: '',
    now: new Date(signingTime(vector).getTime() + offsetMs),
  });

describe('AWS CLI vectors', () => {
  it('are present', () => {
    expect(vectors.length).toBeGreaterThan(0);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s token wraps its URL', (_name, vector) => {
    const body = vector.token.slice('k8s-aws-v1.'.length);
    expect(Buffer.from(body, 'base64url').toString('utf8')).toBe(vector.presignedUrl);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s signature matches', async (_name, vector) => {
    const { url } = await presign(vector);
    expect(new URL(url).searchParams.get('X-Amz-Signature')).toBe(
      new URL(vector.presignedUrl).searchParams.get('X-Amz-Signature'),
    );
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s parameters match', async (_name, vector) => {
    const { url } = await presign(vector);
    expect(sortedQuery(url)).toEqual(sortedQuery(vector.presignedUrl));
    expect(url.split('?')[0]).toBe(vector.presignedUrl.split('?')[0]);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s is accepted when signed', (_name, vector) => {
    expect(verifyAt(vector, 0).host).toBe(new URL(vector.presignedUrl).host);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s is accepted at 15:00', (_name, vector) => {
    expect(verifyAt(vector, TOKEN_VALIDITY_MS).accessKeyId).toBe(vector.credentials.accessKeyId);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s is rejected at 15:01', (_name, vector) => {
    expect(() => verifyAt(vector, TOKEN_VALIDITY_MS + 1000)).toThrow(
      'input token was not properly formatted: X-Amz-Date parameter is expired (15 minute expiration)',
    );
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s ExecCredential matches', async (_name, vector) => {
    const { expiration } = await presign(vector);
    const output = formatExecCredential({ token: vector.token, expiration });
    expect(JSON.parse(output)).toEqual(vector.execCredential);
  });
});
