import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Identity } from '../arn/identity.js';
import { createEc2DescribeInstances, createPrivateDnsResolver, type Ec2ClientOptions } from '../ec2/index.js';
import {
  createBootstrapSource,
  mapIdentity,
  type MapOptions,
  type MapOutcome,
  type MappingSource,
  type MountedRoleInput,
  type MountedUserInput,
  type PrivateDnsLookup,
} from '../mapping/index.js';
import { TokenVerifier, type StsHooks } from '../token/index.js';
import { awsAuthAdapter } from './awsauth-adapter.js';
import { createDynamicFileBackend, createMountedBackend, type BackendFactory, type BackendSettings } from './backends.js';
import { BackendChain, watchBackendModeFile, type BackendModeWatcher } from './chain.js';
import { WebhookConfigError } from './errors.js';
import { createAuthenticateHandler, type AuthenticateHandler, type ReusableMapOutcome, type TokenVerifierLike } from './handler.js';
import { buildHealthReport, type HealthReport } from './health.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
import { startWebhookServer, type TlsMaterial, type WebhookServer } from './server.js';
import { createReloadingSource, watchSourceFile, type ReloadingSource, type ReloadingSourceOptions } from './source.js';
import type { ResponseCacheOptions } from './response-cache.js';
import { createCachingVerifier, type CachingVerifier } from './token-cache.js';
import { createEksConfigMapBackend } from './eksconfigmap.js';

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
  /** aws-auth ConfigMap file (YAML or JSON) to watch: the `AwsAuthFile` backend. Default: none. */
  readonly awsAuthFile?: string;
  /** Usernames the aws-auth source may not produce, e.g. `system:`. Default: none. */
  readonly reservedPrefixes?: readonly string[];
  /**
   * Backends in order, already validated (see validateBackendModes in src/serverconfig).
   * Default: `['AwsAuthFile']` with `awsAuthFile`, else none (only the bootstrap admins map).
   */
  readonly backendModes?: readonly string[];
  /** Reserved username prefixes by backend name (`server.reservedPrefixConfig`). Default: none. */
  readonly reservedPrefixConfig?: Readonly<Partial<Record<string, readonly string[]>>>;
  /** The MountedFile backend's mappings. */
  readonly mounted?: {
    readonly mapRoles?: readonly MountedRoleInput[];
    readonly mapUsers?: readonly MountedUserInput[];
    readonly mapAccounts?: readonly string[];
  };
  /** Access-entries JSON file of the DynamicFile backend. */
  readonly dynamicFilePath?: string;
  /** Key DynamicFile entries by user ID and check their ARN. Default: false. */
  readonly dynamicFileUserIdStrict?: boolean;
  /** Kubeconfig and API server URL for backends that read the Kubernetes API, such as EKSConfigMap. */
  readonly kubernetes?: { readonly kubeconfig?: string; readonly master?: string };
  /** JSON file whose `backendMode` replaces the backend list while the server runs. Default: none. */
  readonly dynamicBackendModePath?: string;
  /**
   * Cache of successful STS verifications; `false` turns it off. Entries never outlive the token's
   * 15-minute window. Whole responses to repeated bodies are reused only while their token's entry
   * lives, so `false` turns that reuse off too. Default: 4096 entries, 60 s.
   */
  readonly tokenCache?: false | { readonly maxEntries?: number; readonly ttlMs?: number };
  /** EC2 client for `{{EC2PrivateDNSName}}`, with the DescribeInstances rate limit. Default: SDK defaults, 15 qps, burst 5. */
  readonly ec2?: Ec2ClientOptions & { readonly qps?: number; readonly burst?: number };
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
  /**
   * Backend factories by backend name, added to (or replacing) the built-in MountedFile, DynamicFile,
   * AwsAuthFile, EKSConfigMap (the live ConfigMap watch) and CRD (the IAMIdentityMapping informer).
   */
  readonly backendFactories?: Readonly<Partial<Record<string, BackendFactory>>>;
  /** Replaces the EC2 DescribeInstances lookup for `{{EC2PrivateDNSName}}`. */
  readonly lookupPrivateDns?: PrivateDnsLookup;
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
  /** The mapping chain in order: bootstrap admins, then each backend's source. */
  readonly sources: readonly MappingSource[];
  /** Names of the running backends, in order. */
  readonly backendModes: readonly string[];
  health(): HealthReport;
  /** Stops the server, then the file watchers. */
  close(): Promise<void>;
}

/**
 * Builds and starts the webhook from one options object: token verifier (with STS metrics and the
 * verified-token cache), the mapping chain (bootstrap admins, then the configured backends), the EC2
 * lookup, handler, metrics and the HTTPS server. Resolves once every backend has loaded its first
 * version and the server listens.
 */
export async function createWebhook(options: WebhookOptions, dependencies: WebhookDependencies = {}): Promise<Webhook> {
  const metrics = createWebhookMetrics();
  const tls = await loadTls(options.tls);
  const innerVerifier = dependencies.verifier ?? createVerifier(options, metrics);
  const tokenCache = createTokenCache(innerVerifier, options, metrics);
  const chain = await startChain(options, dependencies, metrics);
  const modeWatcher = await startBackendModeWatcher(options, chain, metrics);
  const stopBackends = async (): Promise<void> => {
    await modeWatcher?.close();
    await chain.close();
  };

  const lookupPrivateDns = dependencies.lookupPrivateDns ?? createPrivateDnsLookup(options, metrics);
  const customMapIdentity = dependencies.mapIdentity;
  const handler = createAuthenticateHandler({
    verifier: tokenCache ?? innerVerifier,
    mapIdentity: customMapIdentity === undefined
      ? (identity) => mapWithChain(identity, chain, lookupPrivateDns)
      : (identity) => customMapIdentity(identity, chain.sources()),
    metrics,
    logger: options.logger,
    scrubbedAccounts: options.scrubbedAccounts ?? [],
    ...responseReuse(tokenCache, chain, dependencies),
  });
  const health = (): HealthReport => buildHealthReport(chain.healthReporters());

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
    await stopBackends();
    throw error;
  }

  return {
    server,
    metrics,
    handler,
    get sources() {
      return chain.sources();
    },
    get backendModes() {
      return chain.modes;
    },
    health,
    async close() {
      await server.close();
      await stopBackends();
    },
  };
}

/**
 * Maps through the chain's current sources. The outcome is reusable unless the mapping looked up an
 * EC2 private DNS name, whose result the mapping generation does not track.
 */
async function mapWithChain(identity: Identity, chain: BackendChain, lookupPrivateDns: PrivateDnsLookup): Promise<ReusableMapOutcome> {
  let lookedUp = false;
  const mapOptions: MapOptions = {
    lookupPrivateDns: (instanceId) => {
      lookedUp = true;
      return lookupPrivateDns(instanceId);
    },
  };
  const outcome = await mapIdentity(identity, chain.sources(), mapOptions);
  return { ...outcome, reusable: !lookedUp };
}

/**
 * Returns the handler's response cache settings: on with the token cache and the built-in mapping,
 * off when a test replaces the mapper or the bootstrap source, whose changes the chain cannot see.
 */
function responseReuse(
  tokenCache: CachingVerifier | undefined,
  chain: BackendChain,
  dependencies: WebhookDependencies,
): { responseCache?: ResponseCacheOptions } {
  if (tokenCache === undefined || dependencies.mapIdentity !== undefined || dependencies.bootstrap !== undefined) return {};
  return { responseCache: { tokenCache, mappingGeneration: () => chain.mappingGeneration() } };
}

/** Returns the default backend list: the aws-auth file when one is given, else none. */
function defaultBackendModes(options: WebhookOptions): readonly string[] {
  return options.backendModes ?? (options.awsAuthFile === undefined ? [] : ['AwsAuthFile']);
}

async function startChain(options: WebhookOptions, dependencies: WebhookDependencies, metrics: WebhookMetrics): Promise<BackendChain> {
  const adminArns = options.bootstrapAdminArns ?? [];
  const leading = adminArns.length > 0 ? [(dependencies.bootstrap ?? createBootstrapSource)(adminArns)] : [];
  const settings: BackendSettings = {
    ...(options.mounted === undefined ? {} : { mounted: options.mounted }),
    ...(options.dynamicFilePath === undefined ? {} : { dynamicFilePath: options.dynamicFilePath }),
    dynamicFileUserIdStrict: options.dynamicFileUserIdStrict ?? false,
    ssoRoleMatch: options.ssoRoleMatch ?? false,
    ...options.kubernetes,
  };
  const reservedPrefixes = {
    ...options.reservedPrefixConfig,
    AwsAuthFile: [...(options.reservedPrefixes ?? []), ...(options.reservedPrefixConfig?.['AwsAuthFile'] ?? [])],
  };

  const chain = new BackendChain({
    factories: {
      MountedFile: createMountedBackend,
      DynamicFile: createDynamicFileBackend,
      AwsAuthFile: createAwsAuthFileBackend(options, dependencies, metrics),
      EKSConfigMap: createEksConfigMapBackend,
      CRD: async (context) => (await import('./crd.js')).createCrdBackend(context),
      ...dependencies.backendFactories,
    },
    reservedPrefixes,
    leading,
    context: {
      settings,
      metrics,
      logger: options.logger,
      clock: options.clock ?? (() => new Date()),
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    },
  });
  await chain.apply(defaultBackendModes(options));
  return chain;
}

async function startBackendModeWatcher(options: WebhookOptions, chain: BackendChain, metrics: WebhookMetrics): Promise<BackendModeWatcher | undefined> {
  if (options.dynamicBackendModePath === undefined || options.dynamicBackendModePath === '') return undefined;
  const { validateBackendModes } = await import('../serverconfig/backendmode.js');
  const watcher = watchBackendModeFile({
    path: options.dynamicBackendModePath,
    chain,
    configuredModes: defaultBackendModes(options),
    validate: (names) => {
      const result = validateBackendModes(names);
      for (const warning of result.warnings) options.logger.warn({ path: options.dynamicBackendModePath }, warning);
      return result.modes;
    },
    metrics,
    logger: options.logger,
    clock: options.clock ?? (() => new Date()),
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  await watcher.ready;
  return watcher;
}

/** Label objects of the token-cache lookup counter, built once because a lookup happens per request. */
const LOOKUP_LABELS = { hit: Object.freeze({ result: 'hit' }), miss: Object.freeze({ result: 'miss' }) } as const;

/** Wraps the verifier with the verified-token cache, or returns undefined when the cache is off. */
function createTokenCache(verifier: TokenVerifierLike, options: WebhookOptions, metrics: WebhookMetrics): CachingVerifier | undefined {
  if (options.tokenCache === false) return undefined;
  return createCachingVerifier(verifier, {
    ...options.tokenCache,
    clock: options.clock ?? (() => new Date()),
    partition: options.partition ?? 'aws',
    region: options.region ?? '',
    onLookup: (result) => metrics.tokenCacheLookups.inc(LOOKUP_LABELS[result]),
  });
}

/**
 * Creates the EC2 lookup for `{{EC2PrivateDNSName}}`; the SDK is loaded on the first lookup.
 * NOTE: without `region` (serve --region) or AWS_REGION the EC2 client has no region and lookups
 * fail with the SDK's error, because kubeiam does not read the instance metadata region.
 */
function createPrivateDnsLookup(options: WebhookOptions, metrics: WebhookMetrics): PrivateDnsLookup {
  const { qps, burst, ...client } = options.ec2 ?? {};
  const resolver = createPrivateDnsResolver({
    describeInstances: createEc2DescribeInstances({ ...(options.region ? { region: options.region } : {}), ...client }),
    ...(qps === undefined ? {} : { qps }),
    ...(burst === undefined ? {} : { burst }),
    onCall: () => metrics.ec2DescribeInstancesCalls.inc(),
  });
  return (instanceId) => resolver.lookup(instanceId);
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

/** Creates the AwsAuthFile backend: kubeiam's aws-auth file source, named after its path. */
function createAwsAuthFileBackend(options: WebhookOptions, dependencies: WebhookDependencies, metrics: WebhookMetrics): BackendFactory {
  return async (context) => {
    if (options.awsAuthFile === undefined) {
      throw new WebhookConfigError('AWS_AUTH_FILE_MISSING', 'the AwsAuthFile backend needs an aws-auth file: pass --aws-auth-file PATH');
    }
    const source = createAwsAuthFileSource({ ...options, reservedPrefixes: context.reservedPrefixes }, dependencies, metrics, context.mappingChanged);
    const watcher = watchSourceFile(options.awsAuthFile, source, {
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    });
    await watcher.ready;
    return { source, health: source, reportsChanges: true, close: () => watcher.close() };
  };
}

function createAwsAuthFileSource(
  options: WebhookOptions,
  dependencies: WebhookDependencies,
  metrics: WebhookMetrics,
  onChange: (() => void) | undefined,
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
    ...(onChange === undefined ? {} : { onChange }),
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
