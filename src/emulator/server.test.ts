import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededRandomBytes } from './ids.js';
import { IamRegistry, type AccessKeyPair, type IamRole } from './registry.js';
import { isLoopbackHost, startStsEmulator, type StsEmulator } from './server.js';
import {
  FORM_CONTENT_TYPE,
  sendWire,
  signWithSmithy,
  withHeader,
  type TestCredentials,
  type WireRequest,
  type WireResponse,
} from './testkit.js';

const ACCOUNT = '111122223333';
const STS_HOST = 'sts.us-east-1.amazonaws.com';
const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const START = new Date('2026-12-04T19:31:00Z');

interface Fixture {
  readonly registry: IamRegistry;
  readonly designated: AccessKeyPair;
  readonly assumer: AccessKeyPair;
  readonly creatorRole: IamRole;
  readonly externalRole: IamRole;
  readonly longRole: IamRole;
}

function createFixture(): Fixture {
  const registry = new IamRegistry({ random: seededRandomBytes('server-test') });
  registry.createUser({ name: 'designated_user', accountId: ACCOUNT });
  registry.createUser({ name: 'assume_role_user', accountId: ACCOUNT });
  const designated = registry.createAccessKey('designated_user');
  const assumer = registry.createAccessKey('assume_role_user');
  const assumerArn = `arn:aws:iam::${ACCOUNT}:user/assume_role_user`;
  const creatorRole = registry.createRole({ name: 'cluster_creator', path: '/eks/', accountId: ACCOUNT, trust: [assumerArn] });
  const externalRole = registry.createRole({ name: 'partner', accountId: ACCOUNT, trust: [assumerArn], externalId: 'ext-1234' });
  const longRole = registry.createRole({
    name: 'long',
    accountId: ACCOUNT,
    trust: [assumerArn, creatorRole.arn],
    maxSessionDurationSeconds: 43200,
  });
  return { registry, designated, assumer, creatorRole, externalRole, longRole };
}

let fixture: Fixture;
let emulator: StsEmulator;
let now: Date;

beforeEach(async () => {
  fixture = createFixture();
  now = START;
  emulator = await startStsEmulator({ registry: fixture.registry, clock: () => now, random: seededRandomBytes('ids') });
});

afterEach(async () => {
  await emulator.close();
});

function presignGetCallerIdentity(credentials: TestCredentials, clusterId = 'demo'): Promise<WireRequest> {
  return signWithSmithy(
    { host: STS_HOST, query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { 'x-k8s-aws-id': clusterId } },
    { credentials, region: 'us-east-1', date: now, presign: true },
  );
}

function signPost(credentials: TestCredentials, body: string, headers: Record<string, string> = {}): Promise<WireRequest> {
  return signWithSmithy(
    { method: 'POST', host: STS_HOST, headers: { 'content-type': FORM_CONTENT_TYPE, ...headers }, body },
    { credentials, region: 'us-east-1', date: now },
  );
}

async function post(credentials: TestCredentials, body: string, headers: Record<string, string> = {}): Promise<WireResponse> {
  return sendWire(emulator.url, await signPost(credentials, body, headers));
}

function assumeRoleBody(roleArn: string, extra = ''): string {
  return `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(roleArn)}&RoleSessionName=test${extra}`;
}

function xmlText(body: string, tag: string): string {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body);
  if (match === null) throw new Error(`no <${tag}> in ${body}`);
  return match[1] ?? '';
}

function sessionCredentials(body: string): TestCredentials {
  return {
    accessKeyId: xmlText(body, 'AccessKeyId'),
    secretAccessKey: xmlText(body, 'SecretAccessKey'),
    sessionToken: xmlText(body, 'SessionToken'),
  };
}

describe('GetCallerIdentity', () => {
  it('presigned GET returns the XML identity', async () => {
    const response = await sendWire(emulator.url, await presignGetCallerIdentity(fixture.designated));
    const requestId = emulator.requests.log[0]?.requestId ?? '';

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml');
    expect(response.body).toBe(
      `<GetCallerIdentityResponse xmlns="${NAMESPACE}">\n<GetCallerIdentityResult>\n` +
        `<Arn>arn:aws:iam::111122223333:user/designated_user</Arn>\n` +
        `<UserId>${xmlText(response.body, 'UserId')}</UserId>\n<Account>111122223333</Account>\n` +
        `</GetCallerIdentityResult>\n<ResponseMetadata>\n<RequestId>${requestId}</RequestId>\n</ResponseMetadata>\n` +
        `</GetCallerIdentityResponse>`,
    );
    expect(xmlText(response.body, 'UserId')).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it('presigned GET returns JSON when accepted', async () => {
    const wire = withHeader(await presignGetCallerIdentity(fixture.designated), 'accept', 'application/json');
    const response = await sendWire(emulator.url, wire);
    const body = JSON.parse(response.body) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(body).toEqual({
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: {
          Account: ACCOUNT,
          Arn: 'arn:aws:iam::111122223333:user/designated_user',
          UserId: expect.stringMatching(/^AIDA/),
        },
        ResponseMetadata: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      },
    });
  });

  it('header-signed POST returns the identity', async () => {
    const response = await post(fixture.designated, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(response.status).toBe(200);
    expect(xmlText(response.body, 'Arn')).toBe('arn:aws:iam::111122223333:user/designated_user');
  });

  it('wrong x-k8s-aws-id fails the signature', async () => {
    const wire = withHeader(await presignGetCallerIdentity(fixture.designated, 'demo'), 'x-k8s-aws-id', 'other-cluster');
    const response = await sendWire(emulator.url, wire);
    expect(response.status).toBe(403);
    expect(xmlText(response.body, 'Code')).toBe('SignatureDoesNotMatch');
  });

  it('Host of the emulator fails a token signed for STS', async () => {
    const wire = withHeader(await presignGetCallerIdentity(fixture.designated), 'host', new URL(emulator.url).host);
    expect((await sendWire(emulator.url, wire)).status).toBe(403);
  });

  it('expired presigned GET is rejected', async () => {
    const wire = await presignGetCallerIdentity(fixture.designated);
    now = new Date(START.getTime() + (15 * 60 + 1) * 1000);
    const response = await sendWire(emulator.url, wire);
    expect(response.status).toBe(403);
    expect(xmlText(response.body, 'Message')).toMatch(/^Signature expired: 20261204T193100Z is now earlier than/);
  });

  it('unknown key returns InvalidClientTokenId', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) };
    const response = await post(unknown, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(response.status).toBe(403);
    expect(xmlText(response.body, 'Code')).toBe('InvalidClientTokenId');
  });

  it('unsigned request returns MissingAuthenticationToken', async () => {
    const wire: WireRequest = { method: 'GET', target: '/?Action=GetCallerIdentity&Version=2011-06-15', headers: [['host', STS_HOST]], body: '' };
    const response = await sendWire(emulator.url, wire);
    expect(response.status).toBe(403);
    expect(xmlText(response.body, 'Code')).toBe('MissingAuthenticationToken');
  });

  it('bad percent escape returns MalformedQueryString', async () => {
    const wire: WireRequest = { method: 'GET', target: '/?Action=%ZZ', headers: [['host', STS_HOST]], body: '' };
    const response = await sendWire(emulator.url, wire);
    expect(response.status).toBe(404);
    expect(xmlText(response.body, 'Code')).toBe('MalformedQueryString');
  });
});

describe('errors', () => {
  it('XML error has the STS shape', async () => {
    const response = await post(fixture.designated, 'Action=Nope&Version=2011-06-15');
    const requestId = emulator.requests.log[0]?.requestId ?? '';
    expect(response.status).toBe(400);
    expect(response.body).toBe(
      `<ErrorResponse xmlns="${NAMESPACE}">\n<Error>\n<Type>Sender</Type>\n<Code>InvalidAction</Code>\n` +
        `<Message>Could not find operation Nope for version 2011-06-15</Message>\n</Error>\n` +
        `<RequestId>${requestId}</RequestId>\n</ErrorResponse>`,
    );
  });

  it('JSON error has the STS shape', async () => {
    const response = await post(fixture.designated, 'Action=Nope&Version=2011-06-15', { accept: 'application/json' });
    expect(JSON.parse(response.body)).toEqual({
      Error: { Code: 'InvalidAction', Message: 'Could not find operation Nope for version 2011-06-15', Type: 'Sender' },
      RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('missing Version is an InvalidAction', async () => {
    const response = await post(fixture.designated, 'Action=GetCallerIdentity');
    expect(xmlText(response.body, 'Message')).toBe('Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED');
  });

  it('missing Action is a MissingAction', async () => {
    const response = await post(fixture.designated, 'Version=2011-06-15');
    expect(response.status).toBe(400);
    expect(xmlText(response.body, 'Code')).toBe('MissingAction');
  });

  it('repeated parameter is rejected', async () => {
    const response = await post(fixture.designated, 'Action=GetCallerIdentity&Action=AssumeRole&Version=2011-06-15');
    expect(response.status).toBe(400);
    expect(xmlText(response.body, 'Code')).toBe('InvalidParameterValue');
  });
});

describe('AssumeRole', () => {
  it('returns credentials for a trusted user', async () => {
    const response = await post(fixture.assumer, assumeRoleBody(fixture.creatorRole.arn));

    expect(response.status).toBe(200);
    expect(response.body).toContain(`<AssumeRoleResponse xmlns="${NAMESPACE}">`);
    expect(xmlText(response.body, 'Arn')).toBe('arn:aws:sts::111122223333:assumed-role/cluster_creator/test');
    expect(xmlText(response.body, 'AssumedRoleId')).toBe(`${fixture.creatorRole.roleId}:test`);
    expect(xmlText(response.body, 'AccessKeyId')).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(xmlText(response.body, 'Expiration')).toBe('2026-12-04T20:31:00Z');
  });

  it('session credentials call as the assumed role', async () => {
    const assumed = await post(fixture.assumer, assumeRoleBody(fixture.creatorRole.arn));
    const credentials = sessionCredentials(assumed.body);

    const presigned = await sendWire(emulator.url, await presignGetCallerIdentity(credentials));
    expect(xmlText(presigned.body, 'Arn')).toBe('arn:aws:sts::111122223333:assumed-role/cluster_creator/test');

    const posted = await post(credentials, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(xmlText(posted.body, 'UserId')).toBe(`${fixture.creatorRole.roleId}:test`);
  });

  it('JSON response carries the credentials', async () => {
    const response = await post(fixture.assumer, assumeRoleBody(fixture.creatorRole.arn), { accept: 'application/json' });
    const result = (JSON.parse(response.body) as { AssumeRoleResponse: { AssumeRoleResult: Record<string, Record<string, unknown>> } })
      .AssumeRoleResponse.AssumeRoleResult;
    expect(result.AssumedRoleUser).toEqual({
      Arn: 'arn:aws:sts::111122223333:assumed-role/cluster_creator/test',
      AssumedRoleId: `${fixture.creatorRole.roleId}:test`,
    });
    expect(result.Credentials?.Expiration).toBe(Date.parse('2026-12-04T20:31:00Z') / 1000);
  });

  it('untrusted user gets AccessDenied', async () => {
    const response = await post(fixture.designated, assumeRoleBody(fixture.creatorRole.arn));
    expect(response.status).toBe(403);
    expect(xmlText(response.body, 'Code')).toBe('AccessDenied');
    expect(xmlText(response.body, 'Message')).toBe(
      'User: arn:aws:iam::111122223333:user/designated_user is not authorized to perform: sts:AssumeRole ' +
        'on resource: arn:aws:iam::111122223333:role/eks/cluster_creator',
    );
  });

  it('unknown role gets AccessDenied', async () => {
    const response = await post(fixture.assumer, assumeRoleBody('arn:aws:iam::111122223333:role/missing'));
    expect(xmlText(response.body, 'Code')).toBe('AccessDenied');
  });

  it('required external id must match', async () => {
    const missing = await post(fixture.assumer, assumeRoleBody(fixture.externalRole.arn));
    const wrong = await post(fixture.assumer, assumeRoleBody(fixture.externalRole.arn, '&ExternalId=ext-9999'));
    const right = await post(fixture.assumer, assumeRoleBody(fixture.externalRole.arn, '&ExternalId=ext-1234'));
    expect(missing.status).toBe(403);
    expect(wrong.status).toBe(403);
    expect(right.status).toBe(200);
  });

  it('DurationSeconds sets the expiration', async () => {
    const response = await post(fixture.assumer, assumeRoleBody(fixture.longRole.arn, '&DurationSeconds=43200'));
    expect(xmlText(response.body, 'Expiration')).toBe('2026-12-05T07:31:00Z');
  });

  it.each([
    ['DurationSeconds=899', /Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/],
    ['DurationSeconds=43201', /Member must have value less than or equal to 43200/],
    ['DurationSeconds=7200', /^The requested DurationSeconds exceeds the MaxSessionDuration set for this role\.$/],
    ['DurationSeconds=abc', /Member must be an integer/],
    ['Policy=%7B%7D', /does not support the AssumeRole parameter Policy/],
  ])('rejects %s', async (extra, message) => {
    const response = await post(fixture.assumer, assumeRoleBody(fixture.creatorRole.arn, `&${extra}`));
    expect(response.status).toBe(400);
    expect(xmlText(response.body, 'Message')).toMatch(message);
  });

  it.each([
    ['a', /Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2/],
    ['x'.repeat(65), /Member must have length less than or equal to 64/],
    ['bad%20name', /Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\*/],
  ])('rejects session name %s', async (name, message) => {
    const body = `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(fixture.creatorRole.arn)}&RoleSessionName=${name}`;
    const response = await post(fixture.assumer, body);
    expect(response.status).toBe(400);
    expect(xmlText(response.body, 'Code')).toBe('ValidationError');
    expect(xmlText(response.body, 'Message')).toMatch(message);
  });

  it('escapes the message in XML', async () => {
    const body = `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(fixture.creatorRole.arn)}&RoleSessionName=%3Cab%3E%26`;
    const response = await post(fixture.assumer, body);
    expect(response.body).toContain("Value '&lt;ab&gt;&amp;' at 'roleSessionName'");
  });

  it('reports every violated constraint', async () => {
    const response = await post(fixture.assumer, 'Action=AssumeRole&Version=2011-06-15');
    expect(xmlText(response.body, 'Message')).toBe(
      "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    );
  });

  it('role chaining is limited to one hour', async () => {
    const assumed = await post(fixture.assumer, assumeRoleBody(fixture.creatorRole.arn));
    const chained = await post(sessionCredentials(assumed.body), assumeRoleBody(fixture.longRole.arn, '&DurationSeconds=7200'));
    expect(chained.status).toBe(400);
    expect(xmlText(chained.body, 'Message')).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  });

  it('expired session credentials get ExpiredToken', async () => {
    const assumed = await post(fixture.assumer, assumeRoleBody(fixture.creatorRole.arn, '&DurationSeconds=900'));
    now = new Date(START.getTime() + 901 * 1000);
    const response = await post(sessionCredentials(assumed.body), 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(response.status).toBe(403);
    expect(xmlText(response.body, 'Code')).toBe('ExpiredToken');
  });
});

describe('limits and faults', () => {
  it('oversized declared body gets 413', async () => {
    const wire = await signPost(fixture.designated, `Action=GetCallerIdentity&Version=2011-06-15&Pad=${'x'.repeat(70_000)}`);
    const response = await sendWire(emulator.url, wire);
    expect(response.status).toBe(413);
    expect(xmlText(response.body, 'Code')).toBe('RequestEntityTooLarge');
  });

  it('oversized chunked body gets 413', async () => {
    const wire = await signPost(fixture.designated, 'x'.repeat(70_000), { 'transfer-encoding': 'chunked' });
    const response = await sendWire(emulator.url, wire);
    expect(response.status).toBe(413);
  });

  it('throttling fault returns Throttling', async () => {
    emulator.faults = { fault: { kind: 'throttling' } };
    const response = await sendWire(emulator.url, await presignGetCallerIdentity(fixture.designated));
    expect(response.status).toBe(400);
    expect(xmlText(response.body, 'Code')).toBe('Throttling');
    expect(xmlText(response.body, 'Message')).toBe('Rate exceeded');
  });

  it.each([
    [500, 'InternalFailure'],
    [503, 'ServiceUnavailable'],
  ])('server-error fault returns %i', async (status, code) => {
    emulator.faults = { fault: { kind: 'server-error', status } };
    const response = await sendWire(emulator.url, await presignGetCallerIdentity(fixture.designated));
    expect(response.status).toBe(status);
    expect(xmlText(response.body, 'Code')).toBe(code);
    expect(xmlText(response.body, 'Type')).toBe('Receiver');
  });

  it('redirect fault sends Location', async () => {
    emulator.faults = { fault: { kind: 'redirect', location: 'http://127.0.0.1:9/elsewhere', status: 307 } };
    const response = await sendWire(emulator.url, await presignGetCallerIdentity(fixture.designated));
    expect(response.status).toBe(307);
    expect(response.headers.location).toBe('http://127.0.0.1:9/elsewhere');
  });

  it('fault with times clears itself', async () => {
    emulator.faults = { fault: { kind: 'throttling' }, times: 1 };
    const wire = await presignGetCallerIdentity(fixture.designated);
    expect((await sendWire(emulator.url, wire)).status).toBe(400);
    expect((await sendWire(emulator.url, wire)).status).toBe(200);
  });

  it('delay postpones the response', async () => {
    emulator.faults = { delayMs: 200 };
    const started = performance.now();
    await sendWire(emulator.url, await presignGetCallerIdentity(fixture.designated));
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('invalid fault setting throws', () => {
    expect(() => {
      emulator.faults = { delayMs: -1 };
    }).toThrow(/delayMs -1 is invalid/);
  });
});

describe('request log', () => {
  it('records requests without secrets', async () => {
    const assumed = await post(fixture.assumer, assumeRoleBody(fixture.creatorRole.arn));
    const credentials = sessionCredentials(assumed.body);
    const wire = await presignGetCallerIdentity(credentials);
    await sendWire(emulator.url, wire);

    const { count, log } = emulator.requests;
    expect(count).toBe(2);
    expect(log[1]).toMatchObject({
      method: 'GET',
      path: '/',
      host: STS_HOST,
      clusterId: 'demo',
      action: 'GetCallerIdentity',
      accessKeyId: credentials.accessKeyId,
      status: 200,
      errorCode: undefined,
    });
    const serialized = JSON.stringify(log);
    const signature = /X-Amz-Signature=([0-9a-f]+)/.exec(wire.target)?.[1] ?? 'missing';
    for (const secret of [credentials.secretAccessKey, credentials.sessionToken ?? 'missing', fixture.assumer.secretAccessKey, signature]) {
      expect(serialized).not.toContain(secret);
    }
  });

  it('records the error code', async () => {
    await post(fixture.designated, assumeRoleBody(fixture.creatorRole.arn));
    expect(emulator.requests.log[0]).toMatchObject({ action: 'AssumeRole', status: 403, errorCode: 'AccessDenied' });
  });
});

describe('listen address', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', 'localhost'])('accepts loopback %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com', '::ffff:10.0.0.1'])('rejects %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('startStsEmulator rejects a non-loopback host', async () => {
    await expect(startStsEmulator({ registry: fixture.registry, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'EMULATOR_NOT_LOOPBACK',
    });
  });
});

describe('TLS', () => {
  let directory: string;
  let tls: { key: Buffer; cert: Buffer };

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'kubeiam-emulator-tls-'));
    const key = join(directory, 'key.pem');
    const cert = join(directory, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore', timeout: 60_000 });
    tls = { key: readFileSync(key), cert: readFileSync(cert) };
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves HTTPS with the given certificate', async () => {
    const secure = await startStsEmulator({ registry: fixture.registry, clock: () => now, tls });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const wire = await presignGetCallerIdentity(fixture.designated);
      const status = await new Promise<number>((resolve, reject) => {
        const outgoing = httpsRequest(
          {
            host: '127.0.0.1',
            port: secure.port,
            path: wire.target,
            headers: Object.fromEntries(wire.headers),
            ca: tls.cert,
            servername: '127.0.0.1',
            setHost: false,
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        outgoing.on('error', reject);
        outgoing.end();
      });
      expect(status).toBe(200);
    } finally {
      await secure.close();
    }
  });
});
