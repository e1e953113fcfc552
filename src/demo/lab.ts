import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { request } from 'node:https';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { AwsCredentials } from '../credentials/types.js';
import { IamRegistry } from '../emulator/registry.js';
import { startStsEmulator, type StsEmulator } from '../emulator/server.js';
import { presignGetCallerIdentity } from '../token/presign.js';
import { generateSelfSignedCertificate, type CertificateAndKey } from '../webhook/certificate.js';
import { createWebhook, type Webhook } from '../webhook/webhook.js';
import { startDemoApiServer, type DemoApiServer, type ReviewResult } from './apiserver.js';

export const DEMO_REGION = 'us-east-1';

/** Exit code and output of `kubectl get pods`, or of the direct request that replaces it. */
export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ClusterOptions {
  readonly name: string;
  /** The IAM identity that created the cluster: admin through EKS, not through aws-auth. */
  readonly creatorArn: string;
  readonly awsAuthText: string;
}

/** One demo cluster: its aws-auth file, the kubeiam webhook and the stand-in API server. */
export interface DemoCluster {
  readonly name: string;
  readonly awsAuthPath: string;
  readonly webhook: Webhook;
  readonly apiServer: DemoApiServer;
  /** Sends a token through the webhook, as the API server does. */
  review(token: string): Promise<ReviewResult>;
  /** Runs `kubectl get pods --namespace default` with these credentials in the environment. */
  getPods(credentials: AwsCredentials): Promise<KubectlResult>;
  /** Waits until the webhook maps the credentials' identity (after an aws-auth change), at most `timeoutMs`. */
  waitUntilAuthenticated(credentials: AwsCredentials, timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface Lab {
  readonly registry: IamRegistry;
  readonly emulator: StsEmulator;
  readonly dir: string;
  /** Path of kubectl, or undefined when the demo talks to the API server directly. */
  readonly kubectl: string | undefined;
  /** Environment for AWS SDK and AWS CLI calls: STS goes to the emulator, nothing else is configured. */
  awsEnv(credentials?: AwsCredentials): Record<string, string>;
  startCluster(options: ClusterOptions): Promise<DemoCluster>;
  close(): Promise<void>;
}

export interface LabOptions {
  readonly dir: string;
  /** Use kubectl from PATH when true and kubectl exists. Default: true. */
  readonly useKubectl?: boolean;
  readonly path?: string;
}

/** Path of bin/kubeiam.js, two levels above both src/demo and dist/bundle. */
export const CLI_PATH = fileURLToPath(new URL('../../bin/kubeiam.js', import.meta.url));

/** Starts the STS emulator on 127.0.0.1; clusters are added with startCluster. */
export async function startLab(options: LabOptions): Promise<Lab> {
  const registry = new IamRegistry();
  const emulator = await startStsEmulator({ registry });
  const kubectl = options.useKubectl === false ? undefined : findOnPath('kubectl', options.path ?? process.env.PATH ?? '');
  const clusters: DemoCluster[] = [];

  const awsEnv = (credentials?: AwsCredentials): Record<string, string> => ({
    PATH: options.path ?? process.env.PATH ?? '',
    HOME: options.dir,
    AWS_CONFIG_FILE: join(options.dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(options.dir, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: DEMO_REGION,
    AWS_ENDPOINT_URL_STS: emulator.url,
    ...(credentials ? credentialEnv(credentials) : {}),
  });
  await fs.writeFile(join(options.dir, 'aws-config'), '');
  await fs.writeFile(join(options.dir, 'aws-credentials'), '');

  return {
    registry,
    emulator,
    dir: options.dir,
    kubectl,
    awsEnv,
    async startCluster(clusterOptions) {
      const cluster = await startCluster(clusterOptions, { dir: options.dir, emulator, kubectl, awsEnv });
      clusters.push(cluster);
      return cluster;
    },
    async close() {
      await Promise.all(clusters.map((cluster) => cluster.close()));
      await emulator.close();
    },
  };
}

interface ClusterContext {
  readonly dir: string;
  readonly emulator: StsEmulator;
  readonly kubectl: string | undefined;
  readonly awsEnv: (credentials?: AwsCredentials) => Record<string, string>;
}

async function startCluster(options: ClusterOptions, context: ClusterContext): Promise<DemoCluster> {
  const clusterDir = join(context.dir, options.name);
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const awsAuthPath = join(clusterDir, 'aws-auth.yaml');
  await fs.writeFile(awsAuthPath, options.awsAuthText, { mode: 0o600 });

  const webhookTls = generateSelfSignedCertificate({ commonName: 'kubeiam-webhook', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const webhook = await createWebhook({
    clusterId: options.name,
    region: DEMO_REGION,
    stsOverride: context.emulator.url,
    awsAuthFile: awsAuthPath,
    bootstrapAdminArns: [options.creatorArn],
    tls: webhookTls,
    port: 0,
    logger: pino({ level: 'silent' }),
    pollIntervalMs: 100,
  });

  const review = (token: string): Promise<ReviewResult> => sendTokenReview(webhook.server.url, webhookTls, token);
  const apiTls = generateSelfSignedCertificate({ commonName: 'kubeiam-demo-apiserver', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const apiServer = await startDemoApiServer({ tls: apiTls, review });
  const kubeconfigPath = join(clusterDir, 'kubeconfig');
  await fs.writeFile(kubeconfigPath, renderKubeconfig(options.name, apiServer.url, apiTls.cert), { mode: 0o600 });

  const tokenFor = async (credentials: AwsCredentials): Promise<string> =>
    (await presignGetCallerIdentity({ credentials, region: DEMO_REGION, clusterId: options.name, now: new Date() })).token;

  return {
    name: options.name,
    awsAuthPath,
    webhook,
    apiServer,
    review,
    async getPods(credentials) {
      if (context.kubectl !== undefined) {
        return runProcess(context.kubectl, ['--kubeconfig', kubeconfigPath, 'get', 'pods', '--namespace', 'default'], {
          ...context.awsEnv(credentials),
          HOME: clusterDir,
        });
      }
      return getPodsDirectly(apiServer, apiTls, await tokenFor(credentials));
    },
    async waitUntilAuthenticated(credentials, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if ((await review(await tokenFor(credentials))).authenticated) return true;
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await apiServer.close();
      await webhook.close();
    },
  };
}

/** Renders a kubeconfig whose user runs `kubeiam token` as its exec credential plugin. */
export function renderKubeconfig(clusterName: string, serverUrl: string, caPem: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${clusterName}`,
    '  cluster:',
    `    server: ${serverUrl}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${clusterName}-user`,
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1beta1',
    `      command: ${JSON.stringify(process.execPath)}`,
    '      args:',
    `      - ${JSON.stringify(CLI_PATH)}`,
    '      - token',
    '      - --cluster-name',
    `      - ${clusterName}`,
    '      - --region',
    `      - ${DEMO_REGION}`,
    '      interactiveMode: Never',
    'contexts:',
    `- name: ${clusterName}`,
    '  context:',
    `    cluster: ${clusterName}`,
    `    user: ${clusterName}-user`,
    `current-context: ${clusterName}`,
    '',
  ].join('\n');
}

function credentialEnv(credentials: AwsCredentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
}

/** POSTs a v1beta1 TokenReview to the webhook, as kube-apiserver's webhook authenticator does. */
export function sendTokenReview(webhookUrl: string, tls: CertificateAndKey, token: string): Promise<ReviewResult> {
  const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1beta1', kind: 'TokenReview', spec: { token } });
  return new Promise((resolve, reject) => {
    const call = request(`${webhookUrl}/authenticate`, { method: 'POST', ca: tls.cert, headers: { 'content-type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(readReview(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      response.on('error', reject);
    });
    call.on('error', reject);
    call.end(body);
  });
}

function readReview(status: number, text: string): ReviewResult {
  if (status !== 200) return { authenticated: false, status: 401 };
  const review = JSON.parse(text) as { status?: { authenticated?: boolean; user?: { username?: string; groups?: string[] } } };
  if (review.status?.authenticated !== true) return { authenticated: false, status: 401 };
  return { authenticated: true, username: review.status.user?.username ?? '', groups: review.status.user?.groups ?? [] };
}

/** Without kubectl: the same request kubectl would send, with the message kubectl would print. */
async function getPodsDirectly(apiServer: DemoApiServer, tls: CertificateAndKey, token: string): Promise<KubectlResult> {
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const call = request(`${apiServer.url}/api/v1/namespaces/default/pods`, { ca: tls.cert, headers: { authorization: `Bearer ${token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    call.on('error', reject);
    call.end();
  });
  if (status === 200) return { code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' };
  if (status === 401) return { code: 1, stdout: '', stderr: 'error: You must be logged in to the server (Unauthorized)\n' };
  const message = (JSON.parse(body) as { message?: string }).message ?? `HTTP ${status}`;
  return { code: 1, stdout: '', stderr: `Error from server (Forbidden): ${message}\n` };
}

export function runProcess(command: string, args: readonly string[], env: Record<string, string>): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

function findOnPath(name: string, path: string): string | undefined {
  for (const directory of path.split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
