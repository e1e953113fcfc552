import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Identity } from '../arn/identity.js';
import { formatError, stsError, stsThrottling, TokenError } from '../token/errors.js';
import {
  createAuthenticateHandler,
  type AuthenticateHandlerOptions,
  type AuthenticateRequest,
  type MapIdentity,
  type TokenVerifierLike,
} from './handler.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';

const DENY = '{"metadata":{},"spec":{},"status":{"user":{}}}';
const JSON_TYPE = 'application/json; charset=UTF-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

function captureLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

function reviewBody(token: string, apiVersion = 'authentication.k8s.io/v1beta1'): Uint8Array {
  return Buffer.from(JSON.stringify({ apiVersion, kind: 'TokenReview', spec: { token } }));
}

function post(body: Uint8Array | undefined): AuthenticateRequest {
  return { method: 'POST', path: '/authenticate', body, remoteAddress: '127.0.0.1:40000', requestId: 'req-1' };
}

const emptyIdentity: Identity = {
  arn: '',
  canonicalArn: '',
  accountId: '',
  userId: '',
  sessionName: '',
  accessKeyId: '',
  stsEndpoint: '',
};

function identity(fields: Partial<Identity>): Identity {
  return { ...emptyIdentity, stsEndpoint: 'sts.us-west-2.amazonaws.com', ...fields };
}

function verifierReturning(result: Identity): TokenVerifierLike {
  return { verify: async () => result };
}

function verifierThrowing(error: unknown): TokenVerifierLike {
  return {
    verify: async () => {
      throw error;
    },
  };
}

interface FakeMapping {
  readonly username: string;
  readonly groups: readonly string[];
}

/**
 * Creates a stand-in for the mapping chain of one file backend: role and user entries keyed by
 * lower-case canonical ARN, an account allow-list, and `{{EC2PrivateDNSName}}` resolved by a stub.
 */
function fileMapper(config: {
  entries?: Record<string, FakeMapping>;
  accounts?: readonly string[];
  privateDnsNames?: Record<string, string>;
}): MapIdentity {
  return async (id) => {
    const entry = config.entries?.[id.canonicalArn.toLowerCase()];
    if (entry !== undefined) {
      const dnsName = config.privateDnsNames?.[id.sessionName] ?? '';
      const username = entry.username.replaceAll('{{EC2PrivateDNSName}}', dnsName);
      return { ok: true, user: { username, groups: entry.groups, source: 'file', kind: 'role' } };
    }
    if (config.accounts?.includes(id.accountId)) {
      return { ok: true, user: { username: id.canonicalArn, groups: [], source: 'file', kind: 'account' } };
    }
    return { ok: false, error: 'identity is not mapped' };
  };
}

const unmapped: MapIdentity = async () => ({ ok: false, error: 'identity is not mapped' });

function setup(overrides: Partial<AuthenticateHandlerOptions> = {}) {
  const metrics = createWebhookMetrics({ defaultMetrics: false });
  const { logger, lines } = captureLogger();
  const handler = createAuthenticateHandler({
    verifier: verifierReturning(emptyIdentity),
    mapIdentity: unmapped,
    metrics,
    logger,
    ...overrides,
  });
  return { handler, metrics, lines };
}

/** Number of observations on the reference latency histogram for a `result` label value. */
async function latencyCount(metrics: WebhookMetrics, result: string): Promise<number> {
  const data = await metrics.authenticateLatency.get();
  const sample = data.values.find(
    (value) => value.metricName?.endsWith('_count') === true && value.labels['result'] === result,
  );
  return sample?.value ?? 0;
}

async function requestCount(metrics: WebhookMetrics, result: string): Promise<number> {
  const data = await metrics.authenticateRequests.get();
  return data.values.find((value) => value.labels['result'] === result)?.value ?? 0;
}

function lastLog(lines: readonly string[]): Record<string, unknown> {
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
}

describe('authenticate handler: malformed requests', () => {
  it('GET gets 405 expected POST', async () => {
    const { handler, metrics } = setup();
    const response = await handler({ method: 'GET', path: '/authenticate', body: new Uint8Array() });

    expect(response.status).toBe(405);
    expect(response.body).toBe('expected POST\n');
    expect(response.headers['content-type']).toBe(TEXT_TYPE);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(await latencyCount(metrics, 'malformed_request')).toBe(1);
  });

  it('missing body gets 400', async () => {
    const { handler, metrics } = setup();
    const response = await handler(post(undefined));

    expect(response.status).toBe(400);
    expect(response.body).toBe('expected a request body\n');
    expect(response.headers['content-type']).toBe(TEXT_TYPE);
    expect(await latencyCount(metrics, 'malformed_request')).toBe(1);
  });

  it.each([
    ['not valid json'],
    [''],
    ['[]'],
    ['{"spec":{"token":5}}'],
    ['{"spec":"k8s-aws-v1.abc"}'],
    ['{"spec":{"token":"abc"}'],
  ])('body %j gets 400 TokenReview', async (body) => {
    const { handler, metrics } = setup();
    const response = await handler(post(Buffer.from(body)));

    expect(response.status).toBe(400);
    expect(response.body).toBe('expected a request body to be a TokenReview\n');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(await latencyCount(metrics, 'malformed_request')).toBe(1);
    expect(await requestCount(metrics, 'malformed_request')).toBe(1);
  });

  it('counts each malformed request', async () => {
    const { handler, metrics } = setup();
    await handler({ method: 'PUT', path: '/authenticate', body: new Uint8Array() });
    await handler(post(Buffer.from('not valid json')));
    await handler(post(undefined));

    expect(await latencyCount(metrics, 'malformed_request')).toBe(3);
  });

  it('logs the decode error', async () => {
    const { handler, lines } = setup();
    await handler(post(Buffer.from('{"spec":{"token":5}}')));

    expect(lastLog(lines)).toMatchObject({
      msg: 'malformed request',
      result: 'malformed_request',
      status: 400,
      error: 'json: cannot unmarshal number into Go struct field spec.token of type string',
    });
  });
});

describe('authenticate handler: token rejections', () => {
  it.each([
    ['generic error', new Error('boom'), 403, 'invalid_token'],
    ['format error', formatError('token is too large'), 403, 'invalid_token'],
    ['host error', new TokenError('TOKEN_HOST', 'invalid host format, too few labels: a.b'), 403, 'invalid_token'],
    ['STS error', stsError('error from AWS (expected 200, got 403)'), 403, 'sts_error'],
    ['STS throttling', stsThrottling('<Code>Throttling</Code>'), 429, 'sts_throttling'],
  ])('%s gets %i %s', async (_name, error, status, result) => {
    const { handler, metrics } = setup({ verifier: verifierThrowing(error) });
    const response = await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(response.status).toBe(status);
    expect(response.body).toBe(DENY);
    expect(response.headers['content-type']).toBe(JSON_TYPE);
    expect(await latencyCount(metrics, result)).toBe(1);
    expect(await requestCount(metrics, result)).toBe(1);
  });

  it('missing token reaches the verifier as empty', async () => {
    const seen: string[] = [];
    const verifier: TokenVerifierLike = {
      verify: async (token) => {
        seen.push(token);
        throw formatError('token is missing expected "k8s-aws-v1." prefix');
      },
    };
    const { handler, metrics } = setup({ verifier });
    const response = await handler(post(Buffer.from('{"apiVersion":"authentication.k8s.io/v1beta1"}')));

    expect(seen).toEqual(['']);
    expect(response.status).toBe(403);
    expect(await latencyCount(metrics, 'invalid_token')).toBe(1);
  });

  it('logs the verifier error and code', async () => {
    const { handler, lines } = setup({ verifier: verifierThrowing(stsError('error during GET: timeout')) });
    await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(lastLog(lines)).toMatchObject({
      level: 40,
      msg: 'access denied',
      code: 'STS_ERROR',
      error: 'sts getCallerIdentity failed: error during GET: timeout',
      result: 'sts_error',
      status: 403,
      requestId: 'req-1',
      client: '127.0.0.1:40000',
      method: 'POST',
      path: '/authenticate',
    });
  });

  it('logs an unexpected verifier failure as error', async () => {
    const { handler, lines } = setup({ verifier: verifierThrowing(new TypeError('x is undefined')) });
    await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(lastLog(lines)).toMatchObject({ level: 50, error: 'unexpected verifier failure: x is undefined' });
  });
});

describe('authenticate handler: mapping', () => {
  const role = identity({
    arn: 'arn:aws:iam::0123456789012:role/Test',
    canonicalArn: 'arn:aws:iam::0123456789012:role/Test',
    accountId: '0123456789012',
    userId: 'Test',
    sessionName: 'TestSession',
    accessKeyId: 'ABCDEF',
  });
  const user = identity({
    arn: 'arn:aws:iam::0123456789012:user/Test',
    canonicalArn: 'arn:aws:iam::0123456789012:user/Test',
    accountId: '0123456789012',
    userId: 'Test',
    sessionName: 'TestSession',
    accessKeyId: 'ABCDEF',
  });
  const assumedRole = identity({
    arn: 'arn:aws:sts::0123456789012:assumed-role/Test/extra',
    canonicalArn: 'arn:aws:iam::0123456789012:role/Test',
    accountId: '0123456789012',
    userId: 'Test',
    sessionName: 'extra',
    accessKeyId: 'ABCDEF',
  });
  const testUser = { username: 'TestUser', groups: ['sys:admin', 'listers'] };

  function successBody(username: string, uid: string, groups: readonly string[], id: Identity): string {
    const groupsMember = groups.length > 0 ? `"groups":${JSON.stringify(groups)},` : '';
    return (
      `{"metadata":{},"spec":{},"status":{"authenticated":true,"user":{"username":"${username}","uid":"${uid}",${groupsMember}` +
      `"extra":{"accessKeyId":["${id.accessKeyId}"],"arn":["${id.arn}"],"canonicalArn":["${id.canonicalArn}"],` +
      `"principalId":["${id.userId}"],"sessionName":["${id.sessionName}"],` +
      `"sigs.k8s.io/aws-iam-authenticator/principalId":["${id.userId}"]}}}}\n`
    );
  }

  it('unmapped identity gets 403 unknown user', async () => {
    const { handler, metrics } = setup();
    const response = await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(response.status).toBe(403);
    expect(response.body).toBe(DENY);
    expect(response.headers['content-type']).toBe(JSON_TYPE);
    expect(await latencyCount(metrics, 'uknown_user')).toBe(1);
    expect(await latencyCount(metrics, 'unknown_user')).toBe(0);
    expect(await requestCount(metrics, 'unknown_user')).toBe(1);
  });

  it.each([
    ['role mapping', role, { 'arn:aws:iam::0123456789012:role/test': testUser }],
    ['role mapping without access key', { ...role, accessKeyId: '' }, { 'arn:aws:iam::0123456789012:role/test': testUser }],
    ['user mapping', user, { 'arn:aws:iam::0123456789012:user/test': testUser }],
  ])('%s gets 200', async (_name, id, entries) => {
    const { handler, metrics } = setup({ verifier: verifierReturning(id), mapIdentity: fileMapper({ entries }) });
    const response = await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(JSON_TYPE);
    expect(response.body).toBe(
      successBody('TestUser', 'aws-iam-authenticator:0123456789012:Test', ['sys:admin', 'listers'], id),
    );
    expect(await latencyCount(metrics, 'success')).toBe(1);
  });

  it.each([
    ['user identity', user, 'arn:aws:iam::0123456789012:user/Test'],
    ['assumed role identity', assumedRole, 'arn:aws:iam::0123456789012:role/Test'],
  ])('account mapping of %s', async (_name, id, username) => {
    const { handler } = setup({
      verifier: verifierReturning(id),
      mapIdentity: fileMapper({ accounts: ['0123456789012'] }),
    });
    const response = await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(response.status).toBe(200);
    expect(response.body).toBe(successBody(username, 'aws-iam-authenticator:0123456789012:Test', [], id));
  });

  it('node mapping renders the private DNS name', async () => {
    const node = identity({
      arn: 'arn:aws:sts::0123456789012:assumed-role/TestNodeRole/i-0c6f21bf1f24f9708',
      canonicalArn: 'arn:aws:iam::0123456789012:role/TestNodeRole',
      accountId: '0123456789012',
      userId: 'TestNodeRole',
      sessionName: 'i-0c6f21bf1f24f9708',
    });
    const mapIdentity = fileMapper({
      entries: {
        'arn:aws:iam::0123456789012:role/testnoderole': {
          username: 'system:node:{{EC2PrivateDNSName}}',
          groups: ['system:nodes', 'system:bootstrappers'],
        },
      },
      privateDnsNames: { 'i-0c6f21bf1f24f9708': 'ip-172-31-27-14' },
    });
    const { handler } = setup({ verifier: verifierReturning(node), mapIdentity });
    const response = await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(response.status).toBe(200);
    expect(response.body).toBe(
      successBody(
        'system:node:ip-172-31-27-14',
        'aws-iam-authenticator:0123456789012:TestNodeRole',
        ['system:nodes', 'system:bootstrappers'],
        node,
      ),
    );
  });

  it('v1 and v1beta1 requests both succeed', async () => {
    const { handler, metrics } = setup({
      verifier: verifierReturning(role),
      mapIdentity: fileMapper({ accounts: ['0123456789012'] }),
    });

    for (const apiVersion of ['authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1']) {
      const response = await handler(post(reviewBody('k8s-aws-v1.abc', apiVersion)));
      expect(response.status).toBe(200);
    }
    expect(await latencyCount(metrics, 'success')).toBe(2);
  });

  it('scrubbed account gets an administrative uid and no extra', async () => {
    const { handler, lines } = setup({
      verifier: verifierReturning({ ...role, accountId: '111122223333' }),
      mapIdentity: fileMapper({ entries: { 'arn:aws:iam::0123456789012:role/test': testUser } }),
      scrubbedAccounts: ['111122223333', '012345678901'],
    });
    const response = await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(response.status).toBe(200);
    expect(response.body).toBe(
      '{"metadata":{},"spec":{},"status":{"authenticated":true,"user":{"username":"TestUser",' +
        '"uid":"aws-iam-authenticator:administrative:TestUser","groups":["sys:admin","listers"]}}}\n',
    );
    const log = lastLog(lines);
    expect(log['arn']).toBeUndefined();
    expect(log['accountId']).toBeUndefined();
    expect(lines.join('')).not.toContain('111122223333');
  });

  it('logs identity of other accounts', async () => {
    const { handler, lines } = setup({
      verifier: verifierReturning({ ...role, accountId: '222233334444' }),
      scrubbedAccounts: ['111122223333'],
    });
    await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(lastLog(lines)).toMatchObject({
      msg: 'access denied',
      arn: role.arn,
      accountId: '222233334444',
      error: 'identity is not mapped',
    });
  });

  it('logs the granted user', async () => {
    const { handler, lines } = setup({
      verifier: verifierReturning(role),
      mapIdentity: fileMapper({ entries: { 'arn:aws:iam::0123456789012:role/test': testUser } }),
    });
    await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(lastLog(lines)).toMatchObject({
      level: 30,
      msg: 'access granted',
      result: 'success',
      status: 200,
      username: 'TestUser',
      uid: 'aws-iam-authenticator:0123456789012:Test',
      groups: ['sys:admin', 'listers'],
      requestId: 'req-1',
    });
  });

  it('mapper failure gets 403 and an error log', async () => {
    const { handler, metrics, lines } = setup({
      verifier: verifierReturning(role),
      mapIdentity: async () => {
        throw new Error('EC2 lookup timed out');
      },
    });
    const response = await handler(post(reviewBody('k8s-aws-v1.abc')));

    expect(response.status).toBe(403);
    expect(await latencyCount(metrics, 'uknown_user')).toBe(1);
    expect(lastLog(lines)).toMatchObject({ level: 50, error: 'unexpected mapping failure: EC2 lookup timed out' });
  });

  it('measures latency with the injected clock', async () => {
    let now = 1000;
    const { handler, metrics, lines } = setup({
      clock: () => now,
      verifier: {
        verify: async () => {
          now += 250;
          return role;
        },
      },
    });
    await handler(post(reviewBody('k8s-aws-v1.abc')));

    const data = await metrics.authenticateLatency.get();
    const sum = data.values.find((value) => value.metricName?.endsWith('_sum') === true);
    expect(sum?.value).toBe(0.25);
    expect(lastLog(lines)['durationMs']).toBe(250);
  });
});

describe('authenticate handler: secrets', () => {
  const signature = 'f1d5ab96f0e7c0a6b2d61e0a3e1b7f07c0f8d6a1e5b4c3d2a1f0e9d8c7b6a5f4';
  const sessionToken = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENabcdef';
  const presignedUrl =
    'https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15' +
    '&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20240101%2Fus-west-2%2Fsts%2Faws4_request' +
    `&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id` +
    `&X-Amz-Security-Token=${sessionToken}&X-Amz-Signature=${signature}`;
  const token = `k8s-aws-v1.${Buffer.from(presignedUrl).toString('base64url')}`;

  it.each([
    ['URL parse error quoting the URL', formatError(`parse "${presignedUrl}": invalid character`)],
    ['error quoting the token', formatError(`token "${token}" is invalid`)],
    ['STS error quoting the URL', stsError(`error during GET: request to ${presignedUrl} failed`)],
    ['plain error quoting the token', new Error(`cannot handle ${token}`)],
  ])('%s is redacted', async (_name, error) => {
    const { handler, lines } = setup({ verifier: verifierThrowing(error) });
    await handler(post(reviewBody(token)));

    const logs = lines.join('');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.slice(11, 60));
    expect(logs).not.toContain(signature);
    expect(logs).not.toContain(sessionToken);
    expect(logs).toContain('[REDACTED]');
  });

  it('token never appears in any outcome log', async () => {
    const role = identity({ arn: 'arn:aws:iam::1:role/r', canonicalArn: 'arn:aws:iam::1:role/r', accountId: '1', userId: 'AROA' });
    const outcomes: Partial<AuthenticateHandlerOptions>[] = [
      { verifier: verifierReturning(role), mapIdentity: fileMapper({ accounts: ['1'] }) },
      { verifier: verifierReturning(role), mapIdentity: async () => ({ ok: false, error: `no mapping for ${token}` }) },
      { verifier: verifierThrowing(stsThrottling(`throttled on ${presignedUrl}`)) },
    ];

    for (const overrides of outcomes) {
      const { handler, lines } = setup(overrides);
      await handler(post(reviewBody(token)));
      await handler(post(Buffer.from(`{"spec":{"token":"${token}"}} trailing`)));
      await handler(post(Buffer.from(`{"spec":{"token":5,"x":"${token}"}}`)));
      await handler(post(Buffer.from(`{"metadata":{"creationTimestamp":"${token}"},"spec":{"token":"${token}"}}`)));

      const logs = lines.join('');
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(signature);
      expect(logs).not.toContain(sessionToken);
    }
  });
});
