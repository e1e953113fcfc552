import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveBaseCredentials } from './chain.js';

// The AWS SDK reads its configuration files and IMDS switch from process.env, so the test points
// process.env at empty files and turns IMDS off: the chain then fails without any network call.
let dir: string;
let files: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-chain-'));
  files = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
  writeFileSync(files.AWS_CONFIG_FILE ?? '', '');
  writeFileSync(files.AWS_SHARED_CREDENTIALS_FILE ?? '', '');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  for (const [name, value] of Object.entries(files)) vi.stubEnv(name, value);
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
    vi.stubEnv(name, undefined);
  }
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

async function messageOf(env: Record<string, string>, profile?: string): Promise<string> {
  try {
    await resolveBaseCredentials({ ...files, AWS_EC2_METADATA_DISABLED: 'true', ...env }, profile);
  } catch (error) {
    return (error as Error).message;
  }
  return 'resolved';
}

describe('resolveBaseCredentials failures', () => {
  it('names a missing secret key', async () => {
    expect(await messageOf({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' })).toContain('AWS_SECRET_ACCESS_KEY is missing');
  });

  it('names a profile that gave nothing', async () => {
    expect(await messageOf({}, 'nope')).toContain("profile 'nope' gave no credentials");
  });

  it('says what to set otherwise', async () => {
    expect(await messageOf({})).toContain('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  });

  it('uses static keys without the SDK', async () => {
    const credentials = await resolveBaseCredentials({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    expect(credentials.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
  });
});
