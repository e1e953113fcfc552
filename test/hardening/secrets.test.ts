import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IamRegistry, seededRandomBytes, startStsEmulator, type StsEmulator } from '../../src/emulator/index.js';
import type { StsTransport } from '../../src/sts/index.js';
import { presignGetCallerIdentity, TokenError, TokenVerifier, type TokenVerifierOptions } from '../../src/token/index.js';
import {
  CLUSTER_ID,
  NOW,
  queryWith,
  RecordingTransport,
  rejectionOf,
  SESSION_TOKEN,
  SIGNATURE,
  tokenOf,
  urlOf,
  VALID_QUERY,
} from './tokens.js';

const clock = (): Date => NOW;

/** A valid token that carries SESSION_TOKEN and SIGNATURE in its query. */
const SECRET_TOKEN = tokenOf(urlOf());

function verifier(options: Partial<TokenVerifierOptions>): TokenVerifier {
  return new TokenVerifier({ clusterId: CLUSTER_ID, partition: 'aws', clock, ...options });
}

/** Checks that the error is a TokenError whose message and details show none of the secrets. */
function expectNoSecret(error: unknown, token: string): void {
  expect(error).toBeInstanceOf(TokenError);
  const tokenError = error as TokenError;
  const visible = [tokenError.message, JSON.stringify(tokenError.details), String(tokenError)];

  for (const text of visible) {
    expect(text).not.toContain(SESSION_TOKEN);
    expect(text).not.toContain(SIGNATURE);
    expect(text).not.toContain(token);
  }
}

// The same secret-carrying query with one part broken, one row per format or host check.
const FORMAT_FAILURES: ReadonlyArray<readonly [name: string, token: string, code: string]> = [
  ['other host', tokenOf(urlOf({ host: 'evil.example.com' })), 'TOKEN_FORMAT'],
  ['metadata host', tokenOf(urlOf({ host: '169.254.169.254' })), 'TOKEN_FORMAT'],
  ['host with port', tokenOf(urlOf({ host: 'sts.amazonaws.com:443' })), 'TOKEN_FORMAT'],
  ['http scheme', tokenOf(urlOf({ start: 'http://' })), 'TOKEN_FORMAT'],
  ['path', tokenOf(urlOf({ path: '/abc' })), 'TOKEN_FORMAT'],
  ['bad escape in path', tokenOf(urlOf({ path: '/%zz' })), 'TOKEN_FORMAT'],
  ['bad escape in host', tokenOf(urlOf({ host: 'sts.amazonaws.com%zz' })), 'TOKEN_FORMAT'],
  ['control byte in host', tokenOf(urlOf({ host: 'sts.amazonaws.com\r\n' })), 'TOKEN_FORMAT'],
  ['bad escape in fragment', tokenOf(`${urlOf()}#%zz`), 'TOKEN_FORMAT'],
  ['colon in first segment', tokenOf(urlOf({ start: ' https://' })), 'TOKEN_FORMAT'],
  ['bad escape in query', tokenOf(urlOf({ tail: `?${VALID_QUERY}&Version=%zz` })), 'TOKEN_FORMAT'],
  ['semicolon in query', tokenOf(urlOf({ tail: `?${VALID_QUERY};` })), 'TOKEN_FORMAT'],
  ['token key twin', tokenOf(urlOf({ tail: `?${VALID_QUERY}&x-amz-security-token=${SESSION_TOKEN}` })), 'TOKEN_FORMAT'],
  ['signature key twin', tokenOf(urlOf({ tail: `?${VALID_QUERY}&x-amz-signature=${SIGNATURE}` })), 'TOKEN_FORMAT'],
  ['repeated token', tokenOf(urlOf({ tail: `?${VALID_QUERY}&X-Amz-Security-Token=${SESSION_TOKEN}` })), 'TOKEN_FORMAT'],
  ['unknown key', tokenOf(urlOf({ tail: `?${VALID_QUERY}&Foo=1` })), 'TOKEN_FORMAT'],
  ['action', tokenOf(urlOf({ tail: `?${queryWith({ Action: 'AssumeRole' })}` })), 'TOKEN_FORMAT'],
  ['signed headers', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-SignedHeaders': 'host' })}` })), 'TOKEN_FORMAT'],
  ['expires', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Expires': '901' })}` })), 'TOKEN_FORMAT'],
  ['date layout', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Date': '2026-01-15' })}` })), 'TOKEN_FORMAT'],
  ['expired date', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Date': '20200101T000000Z' })}` })), 'TOKEN_FORMAT'],
  ['base64 padding', `${SECRET_TOKEN}=`, 'TOKEN_FORMAT'],
  ['prefix', SECRET_TOKEN.replace('k8s-aws-v1.', 'k8s-aws-v2.'), 'TOKEN_FORMAT'],
  ['size', tokenOf(urlOf({ tail: `?${VALID_QUERY}&Version=${'v'.repeat(3100)}` })), 'TOKEN_FORMAT'],
];

/**
 * A SignatureDoesNotMatch body that quotes the request's query. API Gateway's message quotes the
 * canonical request, x-amz-security-token included, in the same way.
 */
const ECHO_BODY =
  '<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we ' +
  `calculated does not match the signature you provided. The Canonical String for this request should have been 'GET\n/\n${VALID_QUERY}'` +
  '</Message></Error></ErrorResponse>';

const servers: Server[] = [];
let emulator: StsEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('error messages without secrets', () => {
  it('control token reaches STS', async () => {
    // The tokens below are this one with one part broken, so each failure comes from that part.
    const transport = new RecordingTransport();
    await verifier({ transport }).verify(SECRET_TOKEN);
    expect(transport.calls).toHaveLength(1);
  });

  it.each(FORMAT_FAILURES.map(([name, token, code]) => [name, token, code] as const))('format failure %s', async (_name, token, code) => {
    const transport = new RecordingTransport();
    const error = await rejectionOf(verifier({ transport }).verify(token));

    expect((error as TokenError).code).toBe(code);
    expectNoSecret(error, token);
    expect(transport.calls).toHaveLength(0);
  });

  it('format failure with fragment before query', async () => {
    const token = tokenOf(`https://sts.amazonaws.com/#${VALID_QUERY}%zz`);
    const error = await rejectionOf(verifier({ transport: new RecordingTransport() }).verify(token));

    expect((error as TokenError).code).toBe('TOKEN_FORMAT');
    expect(String(error)).not.toContain(SESSION_TOKEN);
  });

  it('STS 403 without echo', async () => {
    const error = await rejectionOf(verifier({ transport: new RecordingTransport(403, 'AccessDenied') }).verify(SECRET_TOKEN));
    expect((error as TokenError).code).toBe('STS_ERROR');
    expectNoSecret(error, SECRET_TOKEN);
  });

  it('STS 403 echoing the query', async () => {
    const error = await rejectionOf(verifier({ transport: new RecordingTransport(403, ECHO_BODY) }).verify(SECRET_TOKEN));
    expect((error as TokenError).code).toBe('STS_ERROR');
    expectNoSecret(error, SECRET_TOKEN);
  });

  it('STS throttling echoing the query', async () => {
    const body = `<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded for ${VALID_QUERY}</Message></Error></ErrorResponse>`;
    const error = await rejectionOf(verifier({ transport: new RecordingTransport(400, body) }).verify(SECRET_TOKEN));
    expect((error as TokenError).code).toBe('STS_THROTTLING');
    expectNoSecret(error, SECRET_TOKEN);
  });

  it('STS throttling without echo', async () => {
    const body = '<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>';
    const error = await rejectionOf(verifier({ transport: new RecordingTransport(400, body) }).verify(SECRET_TOKEN));
    expect((error as TokenError).code).toBe('STS_THROTTLING');
    expectNoSecret(error, SECRET_TOKEN);
  });

  it('STS 200 with invalid JSON', async () => {
    const error = await rejectionOf(verifier({ transport: new RecordingTransport(200, `x${VALID_QUERY}`) }).verify(SECRET_TOKEN));
    expect((error as TokenError).code).toBe('STS_ERROR');
    expectNoSecret(error, SECRET_TOKEN);
  });

  it('STS body read error', async () => {
    const transport: StsTransport = {
      get: () => Promise.resolve({ statusCode: 200, readBody: () => Promise.reject(new Error('connection reset')) }),
    };
    const error = await rejectionOf(verifier({ transport }).verify(SECRET_TOKEN));
    expect((error as TokenError).code).toBe('STS_ERROR');
    expectNoSecret(error, SECRET_TOKEN);
  });

  it('transport refused on loopback', async () => {
    const port = await listen(createServer());
    await new Promise((resolve) => servers.pop()?.close(resolve));

    const error = await rejectionOf(verifier({ stsOverride: `http://127.0.0.1:${port}` }).verify(SECRET_TOKEN));
    expect((error as TokenError).code).toBe('STS_ERROR');
    expect((error as TokenError).message).toContain('ECONNREFUSED');
    expectNoSecret(error, SECRET_TOKEN);
  });

  it('transport timeout on loopback', async () => {
    const port = await listen(createServer(() => undefined));

    const error = await rejectionOf(verifier({ stsOverride: `http://127.0.0.1:${port}`, timeoutMs: 100 }).verify(SECRET_TOKEN));
    expect((error as TokenError).code).toBe('STS_ERROR');
    expect((error as TokenError).message).toContain('timed out');
    expectNoSecret(error, SECRET_TOKEN);
  });

  it('transport error naming the URL', async () => {
    const transport: StsTransport = {
      get: (request) => Promise.reject(new Error(`Get "https://${request.host}${request.target}": dial tcp: i/o timeout`)),
    };
    const error = await rejectionOf(verifier({ transport }).verify(SECRET_TOKEN));
    expect((error as TokenError).code).toBe('STS_ERROR');
    expectNoSecret(error, SECRET_TOKEN);
  });

  it('STS emulator 403 for another cluster', async () => {
    const registry = new IamRegistry({ random: seededRandomBytes('hardening-secrets') });
    registry.createUser({ name: 'alice', accountId: '111122223333' });
    const key = registry.createAccessKey('alice');
    emulator = await startStsEmulator({ registry, clock, random: seededRandomBytes('hardening-secrets-ids') });
    const presigned = await presignGetCallerIdentity({ credentials: key, region: 'us-east-1', clusterId: 'other-cluster', now: NOW });
    const signature = new URL(presigned.url).searchParams.get('X-Amz-Signature') ?? '';

    const error = await rejectionOf(verifier({ stsOverride: emulator.url }).verify(presigned.token));
    expect((error as TokenError).code).toBe('STS_ERROR');
    expect((error as TokenError).message).toContain('got 403');
    expect(String(error)).not.toContain(signature);
    expect(JSON.stringify((error as TokenError).details)).not.toContain(signature);
    expect(emulator.requests.count).toBe(1);
  });
});
