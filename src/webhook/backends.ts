import type { Logger } from 'pino';
import { KubeiamError } from '../errors.js';
import {
  createDynamicFileSource,
  createMountedSource,
  type MappingSource,
  type MountedRoleInput,
  type MountedUserInput,
} from '../mapping/index.js';
import { createFileWatcher } from './file-watcher.js';
import type { HealthReporter, SourceStatus } from './health.js';
import type { WebhookMetrics } from './metrics.js';

/** Everything a backend factory may need; each factory reads only its own part. */
export interface BackendContext {
  /** The backend name, as written in `server.backendMode`. */
  readonly name: string;
  /** Username prefixes this backend may not map to (`server.reservedPrefixConfig`). */
  readonly reservedPrefixes: readonly string[];
  readonly settings: BackendSettings;
  readonly metrics: WebhookMetrics;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Interval of the file-watch poll in ms. Default: 1000. */
  readonly pollIntervalMs?: number;
  /** To be called whenever the backend's mappings change; the chain then invalidates reused responses. */
  readonly mappingChanged?: () => void;
}

/** The configuration of the built-in backends. */
export interface BackendSettings {
  readonly mounted?: {
    readonly mapRoles?: readonly MountedRoleInput[];
    readonly mapUsers?: readonly MountedUserInput[];
    readonly mapAccounts?: readonly string[];
  };
  readonly dynamicFilePath?: string;
  readonly dynamicFileUserIdStrict?: boolean;
  readonly ssoRoleMatch?: boolean;
  /** Kubeconfig path for backends that read the Kubernetes API (`server.kubeconfig`); '' means in-cluster. */
  readonly kubeconfig?: string;
  /** Kubernetes API server URL (`server.master`), overriding the kubeconfig's. */
  readonly master?: string;
}

/** A running backend: its mapping source, its health, and how to stop it. */
export interface Backend {
  readonly source: MappingSource;
  readonly health?: HealthReporter;
  /**
   * True when the backend calls `context.mappingChanged` on every change of its mappings, or its
   * mappings never change. Responses are reused only while every backend of the chain reports.
   */
  readonly reportsChanges?: boolean;
  close(): Promise<void>;
}

/**
 * Creates one backend of the chain. Register a factory under a backend name in
 * `WebhookDependencies.backendFactories`: that is how the live `EKSConfigMap` watch plugs in.
 */
export type BackendFactory = (context: BackendContext) => Promise<Backend>;

export class BackendError extends KubeiamError {
  declare readonly code: 'BACKEND_UNAVAILABLE' | 'BACKEND_CREATION_FAILED';

  constructor(code: BackendError['code'], message: string, backend: string) {
    super(code, message, { backend });
    this.name = 'BackendError';
  }
}

/** Creates the MountedFile backend from `server.mapRoles`, `mapUsers` and `mapAccounts`, read once at start. */
export const createMountedBackend: BackendFactory = async (context) => {
  const source = createMountedSource({
    name: context.name,
    ...context.settings.mounted,
    ssoRoleMatch: context.settings.ssoRoleMatch ?? false,
    reservedPrefixes: context.reservedPrefixes,
  });
  return { source, reportsChanges: true, close: async () => undefined };
};

/**
 * Creates the DynamicFile backend, which watches the access-entries JSON file at `server.dynamicfilepath`. A file
 * that fails to load keeps the previous mappings; a deleted file clears them. From the second
 * successful load on, `now - LastUpdatedDateTime` is observed as `dynamic_e2e_latency_seconds`.
 */
export const createDynamicFileBackend: BackendFactory = async (context) => {
  const path = context.settings.dynamicFilePath ?? '';
  if (path === '') {
    throw new BackendError('BACKEND_CREATION_FAILED', 'the DynamicFile backend needs server.dynamicfilepath', context.name);
  }
  const source = createDynamicFileSource({
    name: context.name,
    userIdStrict: context.settings.dynamicFileUserIdStrict ?? false,
    reservedPrefixes: context.reservedPrefixes,
  });
  const health = new FileHealth(context.name, context.clock);
  let loads = 0;

  const watcher = createFileWatcher(path, {
    ...(context.pollIntervalMs === undefined ? {} : { pollIntervalMs: context.pollIntervalMs }),
    onLoad(text) {
      const result = source.load(text);
      context.mappingChanged?.();
      if (!result.ok) {
        context.metrics.mappingSourceErrors.inc({ source: context.name, key: 'file' });
        context.logger.error({ source: context.name, path, error: result.error }, 'dynamic file not loaded; current mappings kept');
        health.failed(result.error);
        return;
      }
      loads += 1;
      health.loaded();
      context.logger.info({ source: context.name, path, version: result.content.version }, 'dynamic file loaded');
      if (loads > 1) observeLatency(context, 'dynamic_file', result.content.lastUpdatedDateTime);
    },
    onDelete() {
      source.clear();
      context.mappingChanged?.();
      health.missing();
      context.logger.warn({ source: context.name, path }, 'dynamic file is missing; its mappings are cleared');
    },
    onError(error) {
      context.metrics.dynamicfileFailures.inc();
      health.failed(error.message);
      context.logger.error({ source: context.name, path, error: error.message }, 'watching the dynamic file failed');
    },
  });
  await watcher.ready;
  return { source, health, reportsChanges: true, close: () => watcher.close() };
};

/**
 * Observes `now - LastUpdatedDateTime` (Unix seconds as a decimal string). A value that does not
 * parse, or lies in the future, is logged and not observed, as in aws-iam-authenticator.
 */
export function observeLatency(context: Pick<BackendContext, 'metrics' | 'logger' | 'clock'>, type: string, lastUpdated: string): void {
  const seconds = /^[+-]?\d+$/.test(lastUpdated) ? Number(lastUpdated) : Number.NaN;
  const delta = context.clock().getTime() / 1000 - seconds;
  if (!Number.isFinite(delta) || delta < 0) {
    context.logger.warn({ type, lastUpdatedDateTime: lastUpdated }, 'LastUpdatedDateTime is not a past Unix time in seconds; latency not recorded');
    return;
  }
  context.metrics.dynamicE2eLatency.observe({ type }, delta);
}

/** Health of a watched file, for `/healthz?verbose`. */
export class FileHealth implements HealthReporter {
  #status: SourceStatus;

  constructor(
    private readonly name: string,
    private readonly clock: () => Date,
  ) {
    this.#status = { name, state: 'pending', brokenKeys: [], keptKeys: [], problems: [] };
  }

  status(): SourceStatus {
    return this.#status;
  }

  loaded(): void {
    this.#status = { name: this.name, state: 'loaded', lastLoadAt: this.clock().toISOString(), brokenKeys: [], keptKeys: [], problems: [] };
  }

  missing(): void {
    this.#status = { name: this.name, state: 'missing', lastLoadAt: this.clock().toISOString(), brokenKeys: [], keptKeys: [], problems: [] };
  }

  failed(message: string): void {
    this.#status = { ...this.#status, lastError: message, lastErrorAt: this.clock().toISOString() };
  }
}
