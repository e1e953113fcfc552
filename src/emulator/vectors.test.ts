import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionForRegion } from '../arn/index.js';
import { IamRegistry } from './registry.js';
import { startStsEmulator, type StsEmulator } from './server.js';
import { parseAmzDate } from './sigv4.js';
import { sendWire, type WireRequest, type WireResponse } from './testkit.js';

/** One token the AWS CLI's own signer produced (`aws eks get-token`), with its inputs. */
interface TokenVector {
  readonly name: string;
  readonly region: string;
  readonly clusterId: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string | null };
  readonly signedAt: string;
  readonly token: string;
  readonly presignedUrl: string;
}

const VECTORS_URL = new URL('../../../shared/vectors/aws-cli-tokens.json', import.meta.url);
const vectors = JSON.parse(readFileSync(VECTORS_URL, 'utf8')) as TokenVector[];
const ACCOUNT = '111122223333';
const TOKEN_PREFIX = 'k8s-aws-v1.';

interface Expected {
  readonly arn: string;
  readonly userId: string;
}

/** Registers the vector's key: as a user's key, or with its session token as a role session. */
function registerVector(registry: IamRegistry, vector: TokenVector): Expected {
  const partition = partitionForRegion(vector.region).id;
  registry.addAccount({ id: ACCOUNT, partition });
  const { accessKeyId, secretAccessKey, sessionToken } = vector.credentials;

  if (sessionToken === null) {
    const user = registry.createUser({ name: 'vector-user', accountId: ACCOUNT });
    registry.createAccessKey(user.name, { accessKeyId, secretAccessKey });
    return { arn: user.arn, userId: user.userId };
  }

  const role = registry.createRole({ name: 'vector-role', accountId: ACCOUNT, trust: [] });
  const expiration = new Date(parseAmzDate(vector.signedAt).getTime() + 60 * 60 * 1000);
  const session = registry.addRoleSession({
    roleArn: role.arn,
    sessionName: 'vector-session',
    credentials: { accessKeyId, secretAccessKey, sessionToken, expiration },
  });
  return { arn: session.identity.arn, userId: session.identity.userId };
}

/** Builds the request a token verifier sends: the URL's path and query, its host, and the cluster id. */
function verifierRequest(presignedUrl: string, clusterId: string, host?: string): WireRequest {
  const afterScheme = presignedUrl.slice(presignedUrl.indexOf('://') + 3);
  const slash = afterScheme.indexOf('/');
  return {
    method: 'GET',
    target: afterScheme.slice(slash),
    headers: [
      ['Host', host ?? afterScheme.slice(0, slash)],
      ['x-k8s-aws-id', clusterId],
      ['Accept', 'application/json'],
    ],
    body: '',
  };
}

function parseIdentity(response: WireResponse): Record<string, string> {
  const body = JSON.parse(response.body) as { GetCallerIdentityResponse: { GetCallerIdentityResult: Record<string, string> } };
  return body.GetCallerIdentityResponse.GetCallerIdentityResult;
}

describe.each(vectors.map((vector) => [vector.name, vector] as const))('AWS CLI token %s', (_name, vector) => {
  const signedAt = parseAmzDate(vector.signedAt);
  let now = signedAt;
  let emulator: StsEmulator;
  let expected: Expected;

  beforeAll(async () => {
    const registry = new IamRegistry();
    expected = registerVector(registry, vector);
    emulator = await startStsEmulator({ registry, clock: () => now });
  });

  afterAll(async () => {
    await emulator.close();
  });

  const send = (clusterId = vector.clusterId, host?: string): Promise<WireResponse> =>
    sendWire(emulator.url, verifierRequest(vector.presignedUrl, clusterId, host));

  it('token encodes the presigned URL', () => {
    expect(vector.token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(Buffer.from(vector.token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8')).toBe(vector.presignedUrl);
  });

  it('verifies at signedAt', async () => {
    now = signedAt;
    const response = await send();
    expect(response.status).toBe(200);
    expect(parseIdentity(response)).toEqual({ Account: ACCOUNT, Arn: expected.arn, UserId: expected.userId });
  });

  it('verifies 15 minutes later', async () => {
    now = new Date(signedAt.getTime() + 15 * 60 * 1000);
    expect((await send()).status).toBe(200);
  });

  it('expires after 15:01', async () => {
    now = new Date(signedAt.getTime() + (15 * 60 + 1) * 1000);
    const response = await send();
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({
      Error: { Code: 'SignatureDoesNotMatch', Message: expect.stringMatching(/^Signature expired: /) },
    });
  });

  it('wrong x-k8s-aws-id fails', async () => {
    now = signedAt;
    const response = await send(`${vector.clusterId}-other`);
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ Error: { Code: 'SignatureDoesNotMatch' } });
  });

  it('emulator Host header fails', async () => {
    now = signedAt;
    expect((await send(vector.clusterId, new URL(emulator.url).host)).status).toBe(403);
  });
});
