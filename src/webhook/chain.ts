import type { Logger } from 'pino';
import type { MappingSource } from '../mapping/index.js';
import { BackendError, observeLatency, type Backend, type BackendContext, type BackendFactory } from './backends.js';
import { createFileWatcher, type FileWatcher } from './file-watcher.js';
import type { HealthReporter } from './health.js';
import type { WebhookMetrics } from './metrics.js';

export interface BackendChainOptions {
  readonly factories: Readonly<Partial<Record<string, BackendFactory>>>;
  /** Reserved username prefixes by backend name. */
  readonly reservedPrefixes: Readonly<Partial<Record<string, readonly string[]>>>;
  /** Context shared by every backend; name, prefixes and the change callback are added per backend. */
  readonly context: Omit<BackendContext, 'name' | 'reservedPrefixes' | 'mappingChanged'>;
  /** Sources placed before the backends, such as the bootstrap admins. */
  readonly leading?: readonly MappingSource[];
}

/**
 * The backends in configured order. The chain can be rebuilt while the server runs (the dynamic
 * backend-mode file): the new backends start first, then lookups switch to them, then the old ones stop.
 */
export class BackendChain {
  #modes: readonly string[] = [];
  #backends: readonly Backend[] = [];
  #sources: readonly MappingSource[];
  #generation = 0;
  #allReportChanges = true;

  constructor(private readonly options: BackendChainOptions) {
    this.#sources = [...(options.leading ?? [])];
  }

  /** Names of the running backends, in order. */
  get modes(): readonly string[] {
    return this.#modes;
  }

  /** The mapping sources to consult, in order: leading sources, then each backend's. */
  sources(): readonly MappingSource[] {
    return this.#sources;
  }

  /**
   * Returns the mapping generation: a number that grows whenever a backend reports a change of its
   * mappings or the chain switches backends. Returns undefined while a running backend cannot report
   * its changes, because then no response may be reused.
   */
  mappingGeneration(): number | undefined {
    return this.#allReportChanges ? this.#generation : undefined;
  }

  healthReporters(): HealthReporter[] {
    return this.#backends.flatMap((backend) => (backend.health === undefined ? [] : [backend.health]));
  }

  /**
   * Starts the backends of `modes` and switches to them, unless they are the running ones. Throws
   * BackendError when a backend is unknown or fails to start; the running chain then stays.
   */
  async apply(modes: readonly string[]): Promise<boolean> {
    if (modes.join(' ') === this.#modes.join(' ') && this.#backends.length === modes.length) return false;
    const started = await this.#start(modes);
    const previous = this.#backends;
    this.#modes = [...modes];
    this.#backends = started;
    this.#sources = [...(this.options.leading ?? []), ...started.map((backend) => backend.source)];
    this.#allReportChanges = started.every((backend) => backend.reportsChanges === true);
    this.#generation++;
    this.#updateGauges();
    await Promise.all(previous.map((backend) => backend.close()));
    return true;
  }

  async close(): Promise<void> {
    const backends = this.#backends;
    this.#backends = [];
    await Promise.all(backends.map((backend) => backend.close()));
  }

  async #start(modes: readonly string[]): Promise<Backend[]> {
    const started: Backend[] = [];
    try {
      for (const mode of modes) {
        started.push(await this.#create(mode));
      }
    } catch (error) {
      await Promise.all(started.map((backend) => backend.close()));
      throw error;
    }
    return started;
  }

  async #create(mode: string): Promise<Backend> {
    const factory = this.options.factories[mode];
    if (factory === undefined) {
      const available = Object.keys(this.options.factories).join(', ');
      throw new BackendError('BACKEND_UNAVAILABLE', `failed to build mapper chain: backend-mode "${mode}" is not available in kubeiam: use one of ${available}`, mode);
    }
    try {
      return await factory({
        ...this.options.context,
        name: mode,
        reservedPrefixes: this.options.reservedPrefixes[mode] ?? [],
        mappingChanged: () => {
          this.#generation++;
        },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BackendError('BACKEND_CREATION_FAILED', `failed to build mapper chain: backend-mode "${mode}" creation failed: ${reason}`, mode);
    }
  }

  /** `dynamic_file_only` is 1 for a chain of DynamicFile alone; `dynamic_file_enabled` whenever it is in the chain. */
  #updateGauges(): void {
    const metrics = this.options.context.metrics;
    const only = this.#modes.length === 1 && this.#modes[0] === 'DynamicFile';
    metrics.dynamicFileOnly.set(only ? 1 : 0);
    metrics.dynamicFileEnabled.set(this.#modes.includes('DynamicFile') ? 1 : 0);
  }
}

export interface BackendModeFileOptions {
  readonly path: string;
  readonly chain: BackendChain;
  /** Backend modes from the configuration; used again when the file is deleted. */
  readonly configuredModes: readonly string[];
  /** Resolves names from the file: deprecated aliases replaced, unknown names and duplicates rejected. */
  readonly validate: (names: readonly string[]) => readonly string[];
  readonly metrics: WebhookMetrics;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly pollIntervalMs?: number;
}

export interface BackendModeWatcher {
  /** Resolves after the first check of the file, and any chain rebuild it caused, finished. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches the dynamic backend-mode file (`server.dynamicBackendModePath`): JSON with a `backendMode`
 * string of space-separated names. A new list rebuilds the chain; an invalid one is logged and the
 * running chain stays; a deleted file restores the configured modes.
 */
export function watchBackendModeFile(options: BackendModeFileOptions): BackendModeWatcher {
  let queue: Promise<void> = Promise.resolve();
  let loads = 0;
  const enqueue = (modes: () => readonly string[], lastUpdated?: string): void => {
    queue = queue.then(async () => {
      try {
        const changed = await options.chain.apply(modes());
        if (changed) options.logger.info({ backendModes: options.chain.modes }, 'mapper chain rebuilt');
        loads += 1;
        if (lastUpdated !== undefined && loads > 1) observeLatency(options, 'dynamic_backend_mode', lastUpdated);
      } catch (error) {
        options.metrics.mappingSourceErrors.inc({ source: 'backend-mode', key: 'file' });
        options.logger.error({ path: options.path, error: (error as Error).message }, 'backend-mode file not applied; the running chain stays');
      }
    });
  };

  const watcher: FileWatcher = createFileWatcher(options.path, {
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    onLoad(text) {
      let content: { backendMode: string; lastUpdatedDateTime: string };
      try {
        content = parseBackendModeFile(text);
      } catch (error) {
        options.metrics.mappingSourceErrors.inc({ source: 'backend-mode', key: 'file' });
        options.logger.error({ path: options.path, error: (error as Error).message }, 'backend-mode file not applied; the running chain stays');
        return;
      }
      enqueue(() => options.validate(splitModes(content.backendMode)), content.lastUpdatedDateTime);
    },
    onDelete() {
      enqueue(() => options.configuredModes);
    },
    onError(error) {
      options.metrics.dynamicfileFailures.inc();
      options.logger.error({ path: options.path, error: error.message }, 'watching the backend-mode file failed');
    },
  });

  return {
    ready: watcher.ready.then(() => queue),
    async close() {
      await watcher.close();
      await queue;
    },
  };
}

function splitModes(text: string): string[] {
  return text.split(' ').filter((name) => name !== '');
}

/** Reads `backendMode` and `LastUpdatedDateTime` with Go's case-insensitive key matching; throws on bad JSON. */
export function parseBackendModeFile(text: string): { backendMode: string; lastUpdatedDateTime: string } {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('the backend-mode file must contain a JSON object');
  }
  const read = (name: string): string => {
    const entry = Object.entries(value).filter(([key]) => key.toLowerCase() === name.toLowerCase()).pop();
    if (entry === undefined) return '';
    if (typeof entry[1] !== 'string') throw new Error(`${name} in the backend-mode file must be a string`);
    return entry[1];
  };
  return { backendMode: read('backendMode'), lastUpdatedDateTime: read('LastUpdatedDateTime') };
}
