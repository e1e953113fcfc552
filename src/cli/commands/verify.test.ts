import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import { IamRegistry, startStsEmulator, type AccessKeyPair, type StsEmulator } from '../../emulator/index.js';
import { translator } from '../../i18n/catalog.js';
import { formatError, stsError } from '../../token/errors.js';
import { formatJson, formatText, stsEndpointHint } from './verify-run.js';

const account = '111122223333';

let registry: IamRegistry;
let emulator: StsEmulator;
let user: AccessKeyPair;

beforeEach(async () => {
  registry = new IamRegistry();
  registry.createUser({ name: 'alice', path: '/engineers/', accountId: account });
  user = registry.createAccessKey('alice');
  emulator = await startStsEmulator({ registry });
});

afterEach(async () => {
  await emulator.close();
});

/** Runs `kubeiam token` with the emulator user's keys; the token is signed for sts.us-east-1.amazonaws.com. */
async function userToken(clusterId = 'demo'): Promise<string> {
  const result = await runCli(['token', '-i', clusterId, '--region', 'us-east-1', '--token-only'], {
    env: { AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey },
  });
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

function verify(args: readonly string[], env: Record<string, string> = {}) {
  return runCli(['verify', '--sts-endpoint-override', emulator.url, ...args], { env });
}

describe('kubeiam verify', () => {
  it('prints the identity as JSON', async () => {
    const result = await verify(['-t', await userToken(), '-i', 'demo', '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const userId = JSON.parse(result.stdout).UserID as string;
    expect(userId).toMatch(/^AIDA/);
    expect(result.stdout).toBe(
      '{\n' +
        `    "ARN": "arn:aws:iam::${account}:user/engineers/alice",\n` +
        `    "CanonicalARN": "arn:aws:iam::${account}:user/engineers/alice",\n` +
        `    "AccountID": "${account}",\n` +
        `    "UserID": "${userId}",\n` +
        '    "SessionName": "",\n' +
        `    "AccessKeyID": "${user.accessKeyId}",\n` +
        '    "STSEndpoint": "sts.us-east-1.amazonaws.com"\n' +
        '}\n',
    );
  });

  it('prints the identity as text', async () => {
    const result = await verify(['-t', await userToken(), '-i', 'demo']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ARN:          arn:aws:iam::${account}:user/engineers/alice\n`);
    expect(result.stdout).toContain('STSEndpoint:  sts.us-east-1.amazonaws.com\n');
  });

  it('sends the cluster ID to STS', async () => {
    await verify(['-t', await userToken(), '-i', 'demo']);
    expect(emulator.requests.log.at(-1)?.clusterId).toBe('demo');
  });

  it('takes the cluster ID from the environment', async () => {
    const result = await verify(['-t', await userToken()], { KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID: 'demo' });
    expect(result.code).toBe(0);
  });

  it('rejects a token for another cluster', async () => {
    const result = await verify(['-t', await userToken('other'), '-i', 'demo']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^could not verify token: sts getCallerIdentity failed: error from AWS \(expected 200, got 403\)/);
  });

  it('rejects a tampered token', async () => {
    const token = await userToken();
    const result = await verify(['-t', token.slice(0, -1), '-i', 'demo']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^could not verify token: /);
    expect(result.stderr).not.toContain(token.slice(11, 60));
  });

  it('reports a malformed token', async () => {
    const result = await verify(['-t', 'not-a-token', '-i', 'demo']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'could not verify token: input token was not properly formatted: token is missing expected "k8s-aws-v1." prefix\n',
    );
  });

  it('reports an unknown partition', async () => {
    const result = await verify(['-t', await userToken(), '-i', 'demo', '--partition', 'aws-moon']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^could not verify token: partition aws-moon not valid/);
  });

  it('rejects an override that is not loopback', async () => {
    const result = await runCli(['verify', '-t', await userToken(), '-i', 'demo', '--sts-endpoint-override', 'http://192.0.2.1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the host must be a loopback address');
  });

  it('rejects a missing token as a usage error', async () => {
    const result = await verify(['-i', 'demo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: token not specified: pass -t TOKEN\n');
  });

  it('rejects a missing cluster ID as a usage error', async () => {
    const result = await verify(['-t', 'k8s-aws-v1.x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: cluster ID not specified: pass -i CLUSTER\n');
  });

  it('rejects an unknown output format', async () => {
    const result = await verify(['-t', 'k8s-aws-v1.x', '-i', 'demo', '-o', 'yaml']);
    expect(result.code).toBe(2);
  });

  it('reports failures in Chinese', async () => {
    const result = await verify(['-t', 'not-a-token', '-i', 'demo'], { LANG: 'zh_CN.UTF-8' });
    expect(result.stderr).toMatch(/^无法验证令牌：/);
  });
});

describe('verify output', () => {
  const identity = {
    arn: 'arn:aws:sts::111122223333:assumed-role/admin/a<b>&c',
    canonicalArn: 'arn:aws:iam::111122223333:role/admin',
    accountId: '111122223333',
    userId: 'AROAEXAMPLE',
    sessionName: 'a<b>&c',
    accessKeyId: 'ASIAEXAMPLE',
    stsEndpoint: 'sts.us-east-1.amazonaws.com',
  };

  it('escapes JSON like Go', () => {
    expect(formatJson(identity)).toContain('"SessionName": "a\\u003cb\\u003e\\u0026c"');
  });

  it('aligns the text values', () => {
    expect(formatText(identity).split('\n')[0]).toBe('ARN:          arn:aws:sts::111122223333:assumed-role/admin/a<b>&c');
  });
});

describe('stsEndpointHint', () => {
  const t = translator('en');
  const env = { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566' };
  const failure = stsError('error during GET: getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com on us-east-1 endpoint');

  it('names the variable and the flag', () => {
    const hint = stsEndpointHint(failure, undefined, env, t);
    expect(hint).toContain('ignores AWS_ENDPOINT_URL_STS (http://127.0.0.1:4566)');
    expect(hint).toContain('--sts-endpoint-override http://127.0.0.1:4566');
  });

  it('falls back to AWS_ENDPOINT_URL', () => {
    expect(stsEndpointHint(failure, undefined, { AWS_ENDPOINT_URL: 'http://localhost:5000' }, t)).toContain('ignores AWS_ENDPOINT_URL (http://localhost:5000)');
  });

  it('stays silent with an override', () => {
    expect(stsEndpointHint(failure, 'http://127.0.0.1:4566', env, t)).toBeUndefined();
  });

  it('stays silent without the variable', () => {
    expect(stsEndpointHint(failure, undefined, {}, t)).toBeUndefined();
  });

  it('stays silent for a malformed token', () => {
    expect(stsEndpointHint(formatError('missing X-Amz-Date'), undefined, env, t)).toBeUndefined();
  });

  it('is translated', () => {
    expect(stsEndpointHint(failure, undefined, env, translator('zh-CN'))).toMatch(/^提示：令牌验证不使用 AWS_ENDPOINT_URL_STS/);
  });
});

describe('kubeiam verify with AWS_ENDPOINT_URL_STS', () => {
  it('omits the hint when the override is given', async () => {
    const result = await verify(['-t', await userToken('other'), '-i', 'demo'], { AWS_ENDPOINT_URL_STS: emulator.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^could not verify token: sts getCallerIdentity failed/);
    expect(result.stderr).not.toContain('hint:');
  });
});
