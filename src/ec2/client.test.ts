import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assumeRoleProvider, getSourceAccount, sourceHeaders } from './client.js';

const FAKE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

const ASSUME_ROLE_RESPONSE = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleResult><Credentials><AccessKeyId>ASIAEXAMPLEEXAMPLE00</AccessKeyId><SecretAccessKey>c2VjcmV0</SecretAccessKey>
<SessionToken>dG9rZW4=</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/ec2/kubeiam</Arn><AssumedRoleId>AROAEXAMPLE:kubeiam</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`;

describe('getSourceAccount', () => {
  it('getSourceAccount reads the account', () => {
    expect(getSourceAccount('arn:aws:iam::123456789876:role/test-cluster')).toBe('123456789876');
  });

  it('getSourceAccount rejects a short ARN', () => {
    expect(() => getSourceAccount('arn:aws:iam::123456789876')).toThrow('not enough sections');
  });
});

describe('sourceHeaders', () => {
  it('sourceHeaders empty without source ARN', () => {
    expect(sourceHeaders(undefined)).toEqual({});
  });
});

describe('assumeRoleProvider', () => {
  let server: Server;
  const seen: IncomingHttpHeaders[] = [];

  let dir: string;

  beforeAll(async () => {
    // The SDK must read no real AWS configuration: empty temp files and no instance metadata.
    dir = mkdtempSync(join(tmpdir(), 'kubeiam-ec2-client-'));
    writeFileSync(join(dir, 'empty'), '');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_CONFIG_FILE = join(dir, 'empty');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'empty');
    server = createServer((request, response) => {
      seen.push(request.headers);
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(ASSUME_ROLE_RESPONSE);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const endpoint = (): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  it('assumeRoleProvider sends the source headers', async () => {
    seen.length = 0;
    const provider = await assumeRoleProvider({
      region: 'us-east-1',
      stsEndpoint: endpoint(),
      credentials: FAKE_CREDENTIALS,
      roleArn: 'arn:aws:iam::123456789012:role/ec2',
      sourceArn: 'arn:aws:eks:us-east-1:123456789012:MyCluster/res1',
    });
    const credentials = await provider();
    expect(credentials.accessKeyId).toBe('ASIAEXAMPLEEXAMPLE00');
    expect(seen[0]?.['x-amz-source-account']).toBe('123456789012');
    expect(seen[0]?.['x-amz-source-arn']).toBe('arn:aws:eks:us-east-1:123456789012:MyCluster/res1');
  });

  it('assumeRoleProvider sends no source headers without source ARN', async () => {
    seen.length = 0;
    const provider = await assumeRoleProvider({ region: 'us-east-1', stsEndpoint: endpoint(), credentials: FAKE_CREDENTIALS, roleArn: 'arn:aws:iam::123456789012:role/ec2' });
    await provider();
    expect(seen[0]?.['x-amz-source-account']).toBeUndefined();
    expect(seen[0]?.['x-amz-source-arn']).toBeUndefined();
  });

  it('assumeRoleProvider renews near expiry', async () => {
    seen.length = 0;
    let now = Date.parse('2098-12-31T23:00:00Z');
    const provider = await assumeRoleProvider({
      region: 'us-east-1',
      stsEndpoint: endpoint(),
      credentials: FAKE_CREDENTIALS,
      roleArn: 'arn:aws:iam::123456789012:role/ec2',
      now: () => now,
    });
    await provider();
    await provider();
    expect(seen).toHaveLength(1);
    now = Date.parse('2098-12-31T23:56:00Z');
    await provider();
    expect(seen).toHaveLength(2);
  });
});
