import { afterEach, describe, expect, it } from 'vitest';
import { IamRegistry, seededRandomBytes, startStsEmulator, type StsEmulator } from '../../src/emulator/index.js';
import { presignGetCallerIdentity, TokenError, TokenVerifier, type TokenVerifierOptions } from '../../src/token/index.js';
import { ACCEPTED_CASES, HOSTILE_CASES, type HostileCase } from './corpus.js';
import {
  CLUSTER_ID,
  NOW,
  NOW_PARAM,
  queryWith,
  RecordingTransport,
  rejectionOf,
  SESSION_TOKEN,
  SIGNATURE,
  tokenOf,
  tokenOfBytes,
  urlOf,
} from './tokens.js';

// Hosts an allowed token may name: STS of some region in an AWS domain, or the global host.
const AWS_STS_HOST = /^(sts|sts-fips)\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.(amazonaws\.com|api\.aws)$|^sts\.amazonaws\.com$/;

const clock = (): Date => NOW;

function verifierFor(entry: Pick<HostileCase, 'partition' | 'region'>, connection: Partial<TokenVerifierOptions>): TokenVerifier {
  return new TokenVerifier({
    clusterId: CLUSTER_ID,
    partition: entry.partition ?? 'aws',
    region: entry.region ?? '',
    clock,
    ...connection,
  });
}

function expectRejected(error: unknown, entry: HostileCase): void {
  expect(error).toBeInstanceOf(TokenError);
  const tokenError = error as TokenError;
  expect(tokenError.code).toBe(entry.code);
  expect(tokenError.message.startsWith('input token was not properly formatted: ')).toBe(true);
  expect(tokenError.message).toContain(entry.message);
}

describe('hostile token corpus', () => {
  it('has at least 200 distinct tokens', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(200);
    const inputs = HOSTILE_CASES.map((entry) => `${entry.partition ?? ''} ${entry.region ?? ''} ${entry.token}`);
    expect(new Set(inputs).size).toBe(HOSTILE_CASES.length);
    expect(new Set(HOSTILE_CASES.map((entry) => entry.name)).size).toBe(HOSTILE_CASES.length);
  });

  it.each(HOSTILE_CASES.map((entry) => [entry.name, entry] as const))('rejects %s', async (_name, entry) => {
    const transport = new RecordingTransport();
    const error = await rejectionOf(verifierFor(entry, { transport }).verify(entry.token));

    expectRejected(error, entry);
    expect(transport.calls).toHaveLength(0);
  });
});

describe('hostile token messages with invalid UTF-8', () => {
  it('quotes a host byte like Go', async () => {
    const url = Buffer.concat([Buffer.from('https://sts.amazonaws.com'), Buffer.from([0xff]), Buffer.from('/')]);
    const error = await rejectionOf(verifierFor({}, { transport: new RecordingTransport() }).verify(tokenOfBytes(url)));
    expect((error as TokenError).message).toBe(
      'input token was not properly formatted: unexpected hostname "sts.amazonaws.com\\xff" in pre-signed URL',
    );
  });

  it('quotes a date byte like Go', async () => {
    const token = tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Date': `${NOW_PARAM}%FF` })}` }));
    const error = await rejectionOf(verifierFor({}, { transport: new RecordingTransport() }).verify(token));
    expect((error as TokenError).message).toContain('extra text: "\\xff"');
  });
});

describe('token reaching STS', () => {
  it('sends a presigned token once', async () => {
    const presigned = await presignGetCallerIdentity({
      credentials: { accessKeyId: 'ASIAHARDENINGEXAMPLE', secretAccessKey: 'a'.repeat(40), sessionToken: SESSION_TOKEN },
      region: 'us-east-1',
      clusterId: CLUSTER_ID,
      now: NOW,
    });
    const transport = new RecordingTransport();
    const identity = await verifierFor({}, { transport }).verify(presigned.token);

    expect(transport.calls).toHaveLength(1);
    expect(transport.calls[0]?.host).toBe('sts.us-east-1.amazonaws.com');
    expect(identity.arn).toBe('arn:aws:iam::123456789012:user/Alice');
  });

  it('sends the corpus base token once', async () => {
    // The hostile tokens are this one with one part changed, so this shows what they would reach.
    const transport = new RecordingTransport();
    await verifierFor({}, { transport }).verify(tokenOf(urlOf()));
    expect(transport.calls).toHaveLength(1);
  });

  it.each(ACCEPTED_CASES.map((entry) => [entry.name, entry] as const))('sends %s only to its STS host', async (_name, entry) => {
    const transport = new RecordingTransport();
    await verifierFor(entry, { transport }).verify(entry.token);

    expect(transport.calls).toHaveLength(1);
    const request = transport.calls[0];
    expect(request?.host).toBe(entry.host);
    expect(request?.host).toMatch(AWS_STS_HOST);
    expect(request?.target.startsWith('/?')).toBe(true);
    expect(request?.target).not.toContain('#');
    expect(request?.headers).toEqual({ 'x-k8s-aws-id': CLUSTER_ID, accept: 'application/json' });
  });

  it('keeps the signature in the sent query', async () => {
    const transport = new RecordingTransport();
    await verifierFor({}, { transport }).verify(tokenOf(urlOf()));
    expect(transport.calls[0]?.target).toContain(`X-Amz-Signature=${SIGNATURE}`);
  });
});

describe('hostile token corpus against the STS emulator', () => {
  let emulator: StsEmulator | undefined;

  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('never reaches the emulator', async () => {
    const registry = new IamRegistry({ random: seededRandomBytes('hardening') });
    registry.createUser({ name: 'alice', accountId: '111122223333' });
    const key = registry.createAccessKey('alice');
    emulator = await startStsEmulator({ registry, clock, random: seededRandomBytes('hardening-ids') });
    const stsOverride = emulator.url;

    for (const entry of HOSTILE_CASES) {
      const error = await rejectionOf(verifierFor(entry, { stsOverride }).verify(entry.token));
      expectRejected(error, entry);
    }
    expect(emulator.requests.count).toBe(0);

    const presigned = await presignGetCallerIdentity({ credentials: key, region: 'us-east-1', clusterId: CLUSTER_ID, now: NOW });
    const identity = await verifierFor({}, { stsOverride }).verify(presigned.token);
    expect(identity.arn).toBe('arn:aws:iam::111122223333:user/alice');
    expect(emulator.requests.count).toBe(1);
  });
});
