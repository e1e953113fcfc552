import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { getCanonicalQuery, SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRfc3986, presignQuery, type PresignInput } from './sigv4-presign.js';

/** Presigns the same request with @smithy/signature-v4, the AWS SDK's signer, as the oracle. */
async function smithyPresign(input: PresignInput): Promise<string> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      ...(input.sessionToken ? { sessionToken: input.sessionToken } : {}),
    },
    region: input.region,
    service: input.service,
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname: input.host,
    path: '/',
    query: { ...input.query },
    headers: { host: input.host, ...input.headers },
  });
  const signed = await signer.presign(request, { signingDate: input.signingDate, expiresIn: input.expiresInSeconds });
  return `${getCanonicalQuery(signed)}&X-Amz-Signature=${String(signed.query?.['X-Amz-Signature'])}`;
}

const printable = fc.string({ minLength: 1, maxLength: 40 }).filter((text) => text.trim() === text && !/\s\s/.test(text));

const inputs = fc.record({
  accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/),
  secretAccessKey: fc.string({ minLength: 40, maxLength: 40 }),
  sessionToken: fc.option(fc.string({ minLength: 1, maxLength: 300 }), { nil: undefined }),
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', 'eusc-de-east-1'),
  clusterId: printable,
  signingDate: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
});

describe('presignQuery', () => {
  it('matches @smithy/signature-v4 on generated inputs', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (generated) => {
        const input: PresignInput = {
          accessKeyId: generated.accessKeyId,
          secretAccessKey: generated.secretAccessKey,
          ...(generated.sessionToken ? { sessionToken: generated.sessionToken } : {}),
          region: generated.region,
          service: 'sts',
          host: `sts.${generated.region}.amazonaws.com`,
          query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
          headers: { 'x-k8s-aws-id': generated.clusterId },
          signingDate: generated.signingDate,
          expiresInSeconds: 60,
        };
        expect(presignQuery(input)).toBe(await smithyPresign(input));
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeRfc3986', () => {
  it.each([
    ['a-b_c.d~e', 'a-b_c.d~e'],
    ["!'()*", '%21%27%28%29%2A'],
    ['a b/c', 'a%20b%2Fc'],
    ['é', '%C3%A9'],
  ])('%s', (input, expected) => {
    expect(encodeRfc3986(input)).toBe(expected);
  });
});
