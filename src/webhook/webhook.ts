import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Identity } from '../arn/identity.js';
import { createBootstrapSource, mapIdentity, type MapOutcome, type MappingSource } from '../mapping/index.js';
import { TokenVerifier, type StsHooks } from '../token/index.js';
import { awsAuthAdapter } from './awsauth-adapter.js';
import { WebhookConfigError } from './errors.js';
import type { FileWatcher } from './file-watcher.js';
import { createAuthenticateHandler, type AuthenticateHandler, type TokenVerifierLike } from './handler.js';
import { buildHealthReport, type HealthReport } from './health.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
import { startWebhookServer, type TlsMaterial, type WebhookServer } from './server.js';
import { createReloadingSource, watchSourceFile, type ReloadingSource, type ReloadingSourceOptions } from './source.js';

/** Paths of PEM files for the server certificate and key. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface WebhookOptions {
  /** Cluster ID sent to STS in `x-k8s-aws-id`; tokens signed for another cluster fail. */
  readonly clusterId: string;
  /** The server's partition. Default: `aws`. */
  readonly partition?: string;
  /** The server's own region, for the STS host fallback. Default: '' (unknown). */
  readonly region?: string;
  /** Loopback base URL of a local STS (the kubeiam emulator) to send every token to. */
  readonly stsOverride?: string;
  /** aws-auth ConfigMap file (YAML or JSON) to watch. Default: none. */
  readonly awsAuthFile?: string;
  /** Usernames the aws-auth source may not produce, e.g. `system:`. Default: none. */
  readonly reservedPrefixes?: readonly string[];
  /** On a key that fails to parse, keep its last good entries instead of loading it empty. Default: false. */
  readonly keepLastGood?: boolean;
  /** Match `sso` entries of aws-auth (the reference's `SSORoleMatch` feature gate). Default: false. */
  readonly ssoRoleMatch?: boolean;
  /** ARNs mapped to `system:masters` before aws-auth is consulted, like the EKS cluster creator. */
  readonly bootstrapAdminArns?: readonly string[];
  /** See AuthenticateHandlerOptions.scrubbedAccounts. Default: none. */
  readonly scrubbedAccounts?: readonly string[];
  readonly tls: TlsMaterial | TlsFiles | undefined;
  /** Default: `127.0.0.1`. */
  readonly host?: string;
  /** Default: 21362. */
  readonly port?: number;
  readonly logger: Logger;
  /** Wall clock for token expiry and health times. Default: `() => new Date()`. */
  readonly clock?: () => Date;
  /** Interval of the aws-auth file poll in ms. Default: 1000. */
  readonly pollIntervalMs?: number;
}

/**
 * Replacements for the parts createWebhook builds, for tests. Defaults: TokenVerifier from
 * src/token, `mapIdentity` and `createBootstrapSource` from src/mapping, and the aws-auth parser of
 * src/awsauth.
 */
export interface WebhookDependencies {
  readonly verifier?: TokenVerifierLike;
  readonly mapIdentity?: (identity: Identity, sources: readonly MappingSource[]) => Promise<MapOutcome>;
  readonly awsAuth?: AwsAuthAdapter<unknown>;
  readonly bootstrap?: (adminArns: readonly string[]) => MappingSource;
}

/** Factory of the aws-auth parse and build functions a reloading source needs. */
export type AwsAuthAdapter<Document> = (context: {
  readonly name: string;
  readonly reservedPrefixes: readonly string[];
  readonly ssoRoleMatch: boolean;
}) => Pick<ReloadingSourceOptions<Document>, 'keys' | 'parse' | 'replaceKey' | 'build'>;

export interface Webhook {
  readonly server: WebhookServer;
  readonly metrics: WebhookMetrics;
  readonly handler: AuthenticateHandler;
  /** The mapping chain in order: bootstrap admins, then the aws-auth file. */
  readonly sources: readonly MappingSource[];
  health(): HealthReport;
  /** Stops the server, then the file watchers. */
  close(): Promise<void>;
}

/**
 * Builds and starts the webhook from one options object: token verifier (with STS metrics), the
 * mapping chain (bootstrap admins, then the watched aws-auth file), handler, metrics and the HTTPS
 * server. Resolves once the aws-auth file was read and the server listens.
 */
export async function createWebhook(options: WebhookOptions, dependencies: WebhookDependencies = {}): Promise<Webhook> {
  const metrics = createWebhookMetrics();
  const tls = await loadTls(options.tls);
  const verifier = dependencies.verifier ?? createVerifier(options, metrics);
  const { sources, reloading, watchers } = await buildSources(options, dependencies, metrics);

  const handler = createAuthenticateHandler({
    verifier,
    mapIdentity: (identity) => (dependencies.mapIdentity ?? mapWithoutEc2)(identity, sources),
    metrics,
    logger: options.logger,
    scrubbedAccounts: options.scrubbedAccounts ?? [],
  });
  const health = (): HealthReport => buildHealthReport(reloading);

  let server: WebhookServer;
  try {
    server = await startWebhookServer({
      handler,
      metrics,
      logger: options.logger,
      tls,
      health,
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
    });
  } catch (error) {
    await Promise.all(watchers.map((watcher) => watcher.close()));
    throw error;
  }

  return {
    server,
    metrics,
    handler,
    sources,
    health,
    async close() {
      await server.close();
      await Promise.all(watchers.map((watcher) => watcher.close()));
    },
  };
}

/**
 * Maps with src/mapping's chain. NOTE: no EC2 private DNS lookup is wired yet, so a mapping that
 * uses `{{EC2PrivateDNSName}}` is denied with the chain's render error.
 */
function mapWithoutEc2(identity: Identity, sources: readonly MappingSource[]): Promise<MapOutcome> {
  return mapIdentity(identity, sources);
}

function createVerifier(options: WebhookOptions, metrics: WebhookMetrics): TokenVerifierLike {
  const hooks: StsHooks = {
    onResponse: ({ statusCode, stsRegion }) =>
      metrics.stsResponses.inc({ ResponseCode: String(statusCode), StsRegion: stsRegion }),
    onConnectionFailure: (stsRegion) => metrics.stsConnectionFailures.inc({ StsRegion: stsRegion }),
    onThrottled: (stsRegion) => metrics.stsThrottling.inc({ StsRegion: stsRegion }),
  };
  return new TokenVerifier({
    clusterId: options.clusterId,
    partition: options.partition ?? 'aws',
    region: options.region ?? '',
    clock: options.clock ?? (() => new Date()),
    hooks,
    ...(options.stsOverride === undefined ? {} : { stsOverride: options.stsOverride }),
  });
}

async function buildSources(options: WebhookOptions, dependencies: WebhookDependencies, metrics: WebhookMetrics) {
  const sources: MappingSource[] = [];
  const reloading: ReloadingSource[] = [];
  const watchers: FileWatcher[] = [];

  const adminArns = options.bootstrapAdminArns ?? [];
  if (adminArns.length > 0) {
    sources.push((dependencies.bootstrap ?? createBootstrapSource)(adminArns));
  }

  if (options.awsAuthFile !== undefined) {
    const source = createAwsAuthFileSource(options, dependencies, metrics);
    const watcher = watchSourceFile(options.awsAuthFile, source, {
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    });
    await watcher.ready;
    sources.push(source);
    reloading.push(source);
    watchers.push(watcher);
  }

  return { sources, reloading, watchers };
}

function createAwsAuthFileSource(
  options: WebhookOptions,
  dependencies: WebhookDependencies,
  metrics: WebhookMetrics,
): ReloadingSource {
  const name = options.awsAuthFile ?? 'aws-auth';
  const createAdapter = dependencies.awsAuth ?? (awsAuthAdapter as AwsAuthAdapter<unknown>);
  const adapter = createAdapter({
    name,
    reservedPrefixes: options.reservedPrefixes ?? [],
    ssoRoleMatch: options.ssoRoleMatch ?? false,
  });
  return createReloadingSource({
    name,
    ...adapter,
    keepLastGood: options.keepLastGood ?? false,
    metrics,
    logger: options.logger,
    ...(options.clock === undefined ? {} : { now: options.clock }),
  });
}

async function loadTls(tls: WebhookOptions['tls']): Promise<TlsMaterial | undefined> {
  if (tls === undefined || !('certFile' in tls)) {
    return tls;
  }
  const read = async (path: string, flag: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new WebhookConfigError('TLS_MISSING', `cannot read ${flag} file ${path} (${code}): pass a readable PEM file`);
    }
  };
  return { cert: await read(tls.certFile, '--tls-cert'), key: await read(tls.keyFile, '--tls-key') };
}
