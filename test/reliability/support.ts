import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Counter } from 'prom-client';
import { IamRegistry, type AccessKeyPair } from '../../src/emulator/index.js';
import { presignGetCallerIdentity } from '../../src/token/index.js';

export const CLI = fileURLToPath(new URL('../../bin/kubeiam.js', import.meta.url));
export const ACCOUNT_ID = '111122223333';
export const CLUSTER_ID = 'reliability';
export const REGION = 'us-east-1';

/** Creates a registry with one user, `designated_user`, and its access key. */
export function registryWithUser(): { registry: IamRegistry; credentials: AccessKeyPair; arn: string } {
  const registry = new IamRegistry();
  registry.addAccount({ id: ACCOUNT_ID });
  const user = registry.createUser({ name: 'designated_user', accountId: ACCOUNT_ID });
  return { registry, credentials: registry.createAccessKey('designated_user', { accountId: ACCOUNT_ID }), arn: user.arn };
}

/** Builds an aws-auth ConfigMap that maps one user ARN to `username` in `system:masters`. */
export function awsAuthMappingUser(arn: string, username: string): string {
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: aws-auth',
    '  namespace: kube-system',
    'data:',
    '  mapUsers: |',
    `    - userarn: ${arn}`,
    `      username: ${username}`,
    '      groups:',
    '        - system:masters',
    '',
  ].join('\n');
}

let tokensIssued = 0;

/**
 * Presigns a token that no earlier call returned: each call signs one second further in the past,
 * so a verified-token cache in the webhook never responds in place of STS.
 */
export async function tokenFor(credentials: AccessKeyPair, clusterId = CLUSTER_ID): Promise<string> {
  tokensIssued++;
  const now = new Date(Date.now() - tokensIssued * 1000);
  return (await presignGetCallerIdentity({ credentials, region: REGION, clusterId, now })).token;
}

export interface Review {
  readonly status: number;
  readonly authenticated: boolean;
  readonly username: string | undefined;
  readonly body: string;
}

/** POSTs a TokenReview to the webhook at `baseUrl` and returns the HTTP status and the review. */
export function review(baseUrl: string, ca: string, token: string): Promise<Review> {
  const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1beta1', kind: 'TokenReview', spec: { token } });
  return new Promise((resolve, reject) => {
    const call = request(`${baseUrl}/authenticate`, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const parsed = JSON.parse(text) as { status?: { authenticated?: boolean; user?: { username?: string } } };
        resolve({
          status: response.statusCode ?? 0,
          authenticated: parsed.status?.authenticated === true,
          username: parsed.status?.user?.username,
          body: text,
        });
      });
      response.on('error', reject);
    });
    call.on('error', reject);
    call.end(body);
  });
}

/** Current value of a counter for exactly these labels (0 when never incremented). */
export async function counterValue<Label extends string>(counter: Counter<Label>, labels: Partial<Record<Label, string>>): Promise<number> {
  const { values } = await counter.get();
  const wanted = Object.entries(labels);
  const match = values.find((value) => wanted.every(([name, expected]) => value.labels[name as Label] === expected));
  return match?.value ?? 0;
}

/** Creates a temporary directory and returns it with a function that removes it. */
export function temporaryDirectory(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Environment for spawned kubeiam processes: no real AWS configuration, IMDS off. */
export function isolatedEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    LANG: 'C',
    ...extra,
  };
}

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a separate process; kills it after `timeoutMs`. */
export function runBuiltCli(args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
