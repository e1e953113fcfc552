/**
 * Test helper: an AWS environment that can only reach loopback servers. Shared config and
 * credentials files are empty temp files, instance metadata is off and the keys are fake.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

export const FAKE_KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
} as const;

export interface AwsTestEnv {
  readonly dir: string;
  /** Environment for runCli and the adapters. */
  readonly env: Record<string, string>;
  cleanup(): void;
}

/** Returns a credentials-file profile named `name` with the fake keys. */
export function profileWithFakeKeys(name: string): string {
  return `[${name}]\naws_access_key_id = ${FAKE_KEYS.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${FAKE_KEYS.AWS_SECRET_ACCESS_KEY}\n`;
}

/**
 * Creates the temp files and also points process.env at them, because the AWS SDK reads the
 * shared config files through process.env.
 */
export function createAwsTestEnv(extra: Record<string, string> = {}, credentialsText = '', configText = ''): AwsTestEnv {
  const dir = mkdtempSync(join(tmpdir(), 'kubeiam-aws-'));
  const configFile = join(dir, 'aws-config');
  const credentialsFile = join(dir, 'aws-credentials');
  // The SDK caches what it read from these files for the life of the process, so profiles are
  // written here, before the first SDK call.
  writeFileSync(credentialsFile, credentialsText, { mode: 0o600 });
  writeFileSync(configFile, configText, { mode: 0o600 });
  const files = { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_EC2_METADATA_DISABLED: 'true' };
  for (const [name, value] of Object.entries(files)) vi.stubEnv(name, value);
  for (const name of ['AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    vi.stubEnv(name, undefined);
  }
  return {
    dir,
    env: { ...files, ...FAKE_KEYS, HOME: dir, ...extra },
    cleanup() {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
