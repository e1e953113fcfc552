import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KubeiamError } from '../errors.js';
import type { StsRequest, StsResponse, StsTransport } from '../sts/transport.js';
import { TokenError } from './errors.js';
import { presignGetCallerIdentity } from './presign.js';
import { TokenVerifier, type TokenVerifierOptions } from './verify.js';

const now = new Date('2019-12-16T10:20:30.000Z');
const clock = (): Date => now;
const tokenOf = (url: string): string => `k8s-aws-v1.${Buffer.from(url, 'utf8').toString('base64url')}`;
const query =
  'action=GetCallerIdentity&X-Amz-Credential=ASIABCDEFGHIJKLMNOPQ%2F20191216%2Fus-west-2%2Fs3%2Faws4_request' +
  '&x-amz-signedheaders=x-k8s-aws-id&x-amz-expires=60&x-amz-date=20191216T102030Z&X-Amz-Security-Token=SECRETSESSION';
const validToken = tokenOf(`https://sts.amazonaws.com/?${query}`);

const responseBody = (arn: string, userId: string, account = '123456789012'): string =>
  JSON.stringify({
    GetCallerIdentityResponse: {
      GetCallerIdentityResult: { Account: account, Arn: arn, UserId: userId },
      ResponseMetadata: { RequestId: '' },
    },
  });
const aliceBody = responseBody('arn:aws:iam::123456789012:user/Alice', 'Alice');

interface FakeTransport extends StsTransport {
  readonly requests: StsRequest[];
}

const fakeTransport = (statusCode: number, body: string | (() => Promise<Uint8Array>)): FakeTransport => {
  const requests: StsRequest[] = [];
  const readBody = typeof body === 'string' ? async () => Buffer.from(body, 'utf8') : body;
  return {
    requests,
    get(request): Promise<StsResponse> {
      requests.push(request);
      return Promise.resolve({ statusCode, readBody });
    },
  };
};

const failingTransport = (message: string): StsTransport => ({
  get: () => Promise.reject(new Error(message)),
});

const verifier = (overrides: Partial<TokenVerifierOptions>): TokenVerifier =>
  new TokenVerifier({ clusterId: 'server-cluster', partition: 'aws', clock, ...overrides });

const failureOf = async (promise: Promise<unknown>): Promise<TokenError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('expected the verification to fail');
};

describe('TokenVerifier STS answers', () => {
  it('reports throttling', async () => {
    const error = await failureOf(verifier({ transport: fakeTransport(400, 'Throttling: slow down') }).verify(validToken));
    expect(error.code).toBe('STS_THROTTLING');
    expect(error.message).toBe('sts getCallerIdentity was throttled: Throttling: slow down');
  });

  it('reports a transport error', async () => {
    const error = await failureOf(verifier({ transport: failingTransport('an error') }).verify(validToken));
    expect(error.code).toBe('STS_ERROR');
    expect(error.message).toBe('sts getCallerIdentity failed: error during GET: an error on global endpoint');
  });

  it('reports a 403', async () => {
    const error = await failureOf(verifier({ transport: fakeTransport(403, ' ') }).verify(validToken));
    expect(error.code).toBe('STS_ERROR');
    expect(error.message).toBe('sts getCallerIdentity failed: error from AWS (expected 200, got 403) on global endpoint. Body:  ');
  });

  it('hints at the cluster ID on a bad signature', async () => {
    const body = '{"Error":{"Code":"SignatureDoesNotMatch","Message":"The request signature we calculated does not match"}}';
    const error = await failureOf(verifier({ transport: fakeTransport(403, body) }).verify(validToken));
    expect(error.message).toContain('signed for another cluster ID');
  });

  it('names the regional endpoint', async () => {
    const token = tokenOf(`https://sts.eu-west-1.amazonaws.com/?${query}`);
    const error = await failureOf(verifier({ transport: fakeTransport(500, 'x') }).verify(token));
    expect(error.message).toBe('sts getCallerIdentity failed: error from AWS (expected 200, got 500) on eu-west-1 endpoint. Body: x');
  });

  it('cuts a huge body in the message', async () => {
    const error = await failureOf(verifier({ transport: fakeTransport(500, 'y'.repeat(100000)) }).verify(validToken));
    expect(error.message.length).toBeLessThan(5000);
    expect(error.message.endsWith('… (95904 more characters)')).toBe(true);
  });

  it('reports a body read error', async () => {
    const transport = fakeTransport(200, () => Promise.reject(new Error('connection reset')));
    const error = await failureOf(verifier({ transport }).verify(validToken));
    expect(error.code).toBe('STS_ERROR');
    expect(error.message).toBe('sts getCallerIdentity failed: error reading HTTP result: connection reset');
  });

  it('reports invalid JSON', async () => {
    const error = await failureOf(verifier({ transport: fakeTransport(200, 'xxxx') }).verify(validToken));
    expect(error.message).toBe("sts getCallerIdentity failed: invalid character 'x' looking for beginning of value");
  });

  it('reports an invalid ARN', async () => {
    const error = await failureOf(verifier({ transport: fakeTransport(200, responseBody('arn', 'x', '1000')) }).verify(validToken));
    expect(error.code).toBe('STS_ERROR');
    expect(error.message).toContain("arn 'arn' is invalid:");
  });

  it('reports a malformed UserID', async () => {
    const body = responseBody('arn:aws:iam::123456789012:role/Alice', 'not:vailid:userid');
    const error = await failureOf(verifier({ transport: fakeTransport(200, body) }).verify(validToken));
    expect(error.message).toBe('sts getCallerIdentity failed: malformed UserID "not:vailid:userid"');
  });

  it('returns a user without session', async () => {
    const identity = await verifier({ transport: fakeTransport(200, aliceBody) }).verify(validToken);
    expect(identity).toEqual({
      arn: 'arn:aws:iam::123456789012:user/Alice',
      canonicalArn: 'arn:aws:iam::123456789012:user/Alice',
      accountId: '123456789012',
      userId: 'Alice',
      sessionName: '',
      accessKeyId: 'ASIABCDEFGHIJKLMNOPQ',
      stsEndpoint: 'sts.amazonaws.com',
    });
  });

  it('returns the session name', async () => {
    const body = responseBody('arn:aws:iam::123456789012:role/Alice', 'Alice:session-name');
    const identity = await verifier({ transport: fakeTransport(200, body) }).verify(validToken);
    expect([identity.userId, identity.sessionName]).toEqual(['Alice', 'session-name']);
  });

  it('returns the canonical ARN', async () => {
    const body = responseBody('arn:aws:sts::123456789012:assumed-role/Alice/extra', 'Alice:session-name');
    const identity = await verifier({ transport: fakeTransport(200, body) }).verify(validToken);
    expect([identity.arn, identity.canonicalArn]).toEqual([
      'arn:aws:sts::123456789012:assumed-role/Alice/extra',
      'arn:aws:iam::123456789012:role/Alice',
    ]);
  });
});

describe('TokenVerifier request', () => {
  it('sends the raw query with the server cluster ID', async () => {
    const transport = fakeTransport(200, aliceBody);
    await verifier({ transport }).verify(validToken);
    expect(transport.requests).toEqual([
      {
        host: 'sts.amazonaws.com',
        target: `/?${query}`,
        headers: { 'x-k8s-aws-id': 'server-cluster', accept: 'application/json' },
        timeoutMs: 10000,
      },
    ]);
  });

  it('skips STS for a malformed token', async () => {
    const transport = fakeTransport(200, aliceBody);
    await expect(verifier({ transport }).verify('k8s-aws-v1.decodingerror')).rejects.toThrow('illegal base64 data');
    expect(transport.requests).toHaveLength(0);
  });

  it('skips STS for a foreign host', async () => {
    const transport = fakeTransport(200, aliceBody);
    const token = tokenOf(`https://sts.evil.com.example.org/?${query}`);
    await expect(verifier({ transport }).verify(token)).rejects.toThrow('unexpected hostname');
    expect(transport.requests).toHaveLength(0);
  });

  it('reads the clock per call', async () => {
    let current = now;
    const transport = fakeTransport(200, aliceBody);
    const instance = verifier({ transport, clock: () => current });
    await instance.verify(validToken);
    current = new Date(now.getTime() + 15 * 60 * 1000 + 1);
    await expect(instance.verify(validToken)).rejects.toThrow('X-Amz-Date parameter is expired');
  });
});

describe('TokenVerifier hooks', () => {
  it('counts a response', async () => {
    const onResponse = vi.fn();
    await verifier({ transport: fakeTransport(200, aliceBody), hooks: { onResponse } }).verify(validToken);
    expect(onResponse).toHaveBeenCalledWith({ statusCode: 200, stsRegion: 'global' });
  });

  it('counts throttling', async () => {
    const hooks = { onResponse: vi.fn(), onThrottled: vi.fn() };
    await expect(verifier({ transport: fakeTransport(400, 'Throttling'), hooks }).verify(validToken)).rejects.toThrow();
    expect(hooks.onResponse).toHaveBeenCalledWith({ statusCode: 400, stsRegion: 'global' });
    expect(hooks.onThrottled).toHaveBeenCalledWith('global');
  });

  it('counts a connection failure', async () => {
    const hooks = { onResponse: vi.fn(), onConnectionFailure: vi.fn() };
    await expect(verifier({ transport: failingTransport('down'), hooks }).verify(validToken)).rejects.toThrow();
    expect(hooks.onConnectionFailure).toHaveBeenCalledWith('global');
    expect(hooks.onResponse).not.toHaveBeenCalled();
  });
});

describe('TokenVerifier options', () => {
  it('rejects an unknown partition', () => {
    expect(() => verifier({ partition: 'aws-not-a-partition' })).toThrow(KubeiamError);
  });

  it('rejects a transport with an override', () => {
    expect(() => verifier({ transport: fakeTransport(200, ''), stsOverride: 'http://127.0.0.1:1' })).toThrow(
      'set either an STS transport or an STS override',
    );
  });

  it.each(['http://10.0.0.1:4566', 'https://sts.amazonaws.com', 'http://localhost.example.com', 'ftp://127.0.0.1'])(
    'rejects override %s',
    (stsOverride) => {
      expect(() => verifier({ stsOverride })).toThrow(expect.objectContaining({ code: 'STS_OVERRIDE_INVALID' }));
    },
  );
});

describe('TokenVerifier error messages', () => {
  it.each([
    ['transport error', failingTransport('boom')],
    ['403', fakeTransport(403, 'denied')],
    ['bad JSON', fakeTransport(200, '{')],
  ])('omit the session token on %s', async (_name, transport) => {
    const error = await failureOf(verifier({ transport }).verify(validToken));
    expect(error.message).not.toContain('SECRETSESSION');
    expect(JSON.stringify(error.details)).not.toContain('SECRETSESSION');
  });

  it('omit the query of an unparsable URL', async () => {
    const token = tokenOf(`https://sts.amazonaws.com%zz/?${query}`);
    const error = await failureOf(verifier({ transport: fakeTransport(200, '') }).verify(token));
    expect(error.message).toBe('input token was not properly formatted: parse "https://sts.amazonaws.com%zz/?REDACTED": invalid URL escape "%zz"');
  });
});

describe('TokenVerifier over loopback', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  const listen = async (handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<number> => {
    const server = createServer(handler);
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };

  it('does not follow a redirect', async () => {
    let redirectHits = 0;
    const target = await listen((_request, response) => {
      redirectHits++;
      response.end(aliceBody);
    });
    const port = await listen((_request, response) => {
      response.writeHead(302, { location: `http://127.0.0.1:${target}/` }).end();
    });
    const error = await failureOf(verifier({ stsOverride: `http://127.0.0.1:${port}` }).verify(validToken));
    expect(error.message).toBe('sts getCallerIdentity failed: error from AWS (expected 200, got 302) on global endpoint. Body: ');
    expect(redirectHits).toBe(0);
  });

  it('sends the token host and the raw target', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const port = await listen((request, response) => {
      seen.push({ host: request.headers.host, url: request.url, cluster: request.headers['x-k8s-aws-id'], accept: request.headers.accept });
      response.end(aliceBody);
    });
    await verifier({ stsOverride: `http://127.0.0.1:${port}` }).verify(validToken);
    expect(seen).toEqual([{ host: 'sts.amazonaws.com', url: `/?${query}`, cluster: 'server-cluster', accept: 'application/json' }]);
  });

  it('verifies a presigned token end to end', async () => {
    const { token } = await presignGetCallerIdentity({
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      region: 'us-west-2',
      clusterId: 'server-cluster',
      now,
    });
    let target = '';
    const port = await listen((request, response) => {
      target = request.url ?? '';
      response.end(aliceBody);
    });
    const identity = await verifier({ stsOverride: `http://127.0.0.1:${port}` }).verify(token);
    expect(identity.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(identity.stsEndpoint).toBe('sts.us-west-2.amazonaws.com');
    expect(target).toMatch(/^\/\?Action=GetCallerIdentity&.*&X-Amz-Signature=[0-9a-f]{64}$/);
  });

  it('bounds the response body', async () => {
    const port = await listen((_request, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 20; i++) response.write(chunk);
      response.end();
    });
    const error = await failureOf(verifier({ stsOverride: `http://127.0.0.1:${port}` }).verify(validToken));
    expect(error.message).toBe('sts getCallerIdentity failed: error reading HTTP result: response body exceeds 1048576 bytes');
  });

  it('times out a silent server', async () => {
    const port = await listen(() => undefined);
    const error = await failureOf(verifier({ stsOverride: `http://127.0.0.1:${port}`, timeoutMs: 100 }).verify(validToken));
    expect(error.message).toBe(
      'sts getCallerIdentity failed: error during GET: Get "http://sts.amazonaws.com/": timed out after 100 ms on global endpoint',
    );
  });

  it('times out a stalled body', async () => {
    const port = await listen((_request, response) => {
      response.writeHead(200);
      response.write('{');
    });
    const error = await failureOf(verifier({ stsOverride: `http://127.0.0.1:${port}`, timeoutMs: 100 }).verify(validToken));
    expect(error.message).toBe('sts getCallerIdentity failed: error reading HTTP result: timed out reading the response body');
  });

  it('refuses to send a space in the query', async () => {
    let hits = 0;
    const port = await listen((_request, response) => {
      hits++;
      response.end(aliceBody);
    });
    // Go's HTTP client would send this target; Node's rejects it before connecting.
    const token = tokenOf(`https://sts.amazonaws.com/?${query}&X-Amz-Signature=a b`);
    const error = await failureOf(verifier({ stsOverride: `http://127.0.0.1:${port}` }).verify(token));
    expect(error.message).toBe(
      'sts getCallerIdentity failed: error during GET: Get "http://sts.amazonaws.com/": Request path contains unescaped characters on global endpoint',
    );
    expect(hits).toBe(0);
  });

  it('reports a refused connection', async () => {
    const port = await listen(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const error = await failureOf(verifier({ stsOverride: `http://127.0.0.1:${port}` }).verify(validToken));
    expect(error.message).toBe(
      `sts getCallerIdentity failed: error during GET: Get "http://sts.amazonaws.com/": connect ECONNREFUSED 127.0.0.1:${port} on global endpoint`,
    );
  });
});
