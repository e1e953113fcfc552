import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EksAccessClient, createEksClient } from '../../src/accessentries/client.js';
import type { EksEndpoint } from '../eks-endpoint/server.js';

/** Fake credentials; the test endpoint does not check signatures. */
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** Creates a client for one cluster on the test endpoint, through the real @aws-sdk/client-eks. */
export function clientFor(endpoint: EksEndpoint, cluster: string): EksAccessClient {
  return new EksAccessClient(createEksClient({ region: 'eu-west-1', endpoint: endpoint.url, credentials: FAKE_CREDENTIALS, maxAttempts: 1 }), cluster);
}

/** Builds the environment for in-process CLI runs: fake keys, temporary AWS config files, the endpoint override. */
export function cliEnv(endpoint: EksEndpoint, extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeiam-ae-'));
  writeFileSync(join(dir, 'config'), '');
  writeFileSync(join(dir, 'credentials'), '');
  return {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_EKS: endpoint.url,
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
}
