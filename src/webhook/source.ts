import type { Logger } from 'pino';
import type { Identity } from '../arn/identity.js';
import type { MappingSource, MatchedMapping } from '../mapping/types.js';
import { createFileWatcher, type FileWatcher, type FileWatcherOptions } from './file-watcher.js';
import type { HealthReporter, SourceProblem, SourceStatus } from './health.js';
import type { WebhookMetrics } from './metrics.js';

/** The parser's result for one version of a source's text. */
export interface ParsedDocument<Document> {
  readonly document: Document;
  /**
   * False when the whole text is unusable, e.g. a ConfigMap the API server would reject. The
   * source then keeps its current mappings under either policy, as a cluster would never see it.
   */
  readonly valid: boolean;
  /** Keys whose text failed to parse; with the reference behaviour they load empty. */
  readonly brokenKeys: readonly string[];
  readonly problems: readonly SourceProblem[];
}

export interface ReloadingSourceOptions<Document> {
  /** Source name in mapping results, logs, metrics and health details. */
  readonly name: string;
  /** Every key a document can contain, e.g. `mapRoles`, `mapUsers`, `mapAccounts`. */
  readonly keys: readonly string[];
  parse(text: string): ParsedDocument<Document>;
  /** Returns `document` with the entries of `key` replaced by those of `previous`. */
  replaceKey(document: Document, key: string, previous: Document): Document;
  /** Builds the mapping source of a document; it should use `name` as its own name. */
  build(document: Document): MappingSource;
  /**
   * Keep the entries of a key that fails to parse from the last version in which it parsed,
   * instead of loading it empty as aws-iam-authenticator does. Default: false.
   */
  readonly keepLastGood?: boolean;
  readonly metrics?: WebhookMetrics;
  readonly logger?: Logger;
  /** Default: `() => new Date()`. */
  readonly now?: () => Date;
  /** Called after every load or clear that replaced the mappings. */
  readonly onChange?: () => void;
}

/** A mapping source whose content is replaced on every load; lookups see one version at a time. */
export interface ReloadingSource extends MappingSource, HealthReporter {
  /** Parses and installs a new version of the text. */
  load(text: string): void;
  /** Removes every mapping, e.g. after the file was deleted. */
  clear(): void;
  /** Records a read or watch failure; the current mappings stay. */
  recordError(error: Error): void;
  /** The mapping source built from the current version. */
  current(): MappingSource;
}

/** Repeated identical read errors are logged at most this often. */
const REPEATED_ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * Creates a mapping source that reloads. By default a key that fails to parse loads empty while the
 * other keys load, as in aws-iam-authenticator. With `keepLastGood`, such a key keeps its entries
 * from the last version in which it parsed. Either way, each problem is logged, counted in
 * `kubeiam_mapping_source_errors_total` and shown by `status()` for `/healthz?verbose`.
 */
export function createReloadingSource<Document>(options: ReloadingSourceOptions<Document>): ReloadingSource {
  const now = options.now ?? (() => new Date());
  const empty = emptySource(options.name);
  const lastGood = new Map<string, Document>();
  let active: MappingSource = empty;
  let status: SourceStatus = { name: options.name, state: 'pending', brokenKeys: [], keptKeys: [], problems: [] };
  let lastLoggedError: { message: string; at: number } | undefined;

  const setLoaded = (loaded: boolean): void => {
    options.metrics?.mappingSourceLoaded.set({ source: options.name }, loaded ? 1 : 0);
  };
  setLoaded(false);

  const fail = (message: string, key: string): void => {
    const at = now();
    status = { ...status, lastError: message, lastErrorAt: at.toISOString() };
    options.metrics?.mappingSourceErrors.inc({ source: options.name, key });

    const repeated = lastLoggedError?.message === message && at.getTime() - lastLoggedError.at < REPEATED_ERROR_LOG_INTERVAL_MS;
    if (!repeated) {
      options.logger?.error({ source: options.name, error: message }, 'mapping source update failed; current mappings kept');
      lastLoggedError = { message, at: at.getTime() };
    }
  };

  const install = (parsed: ParsedDocument<Document>): void => {
    const { document, keptKeys } = applyPolicy(parsed, options, lastGood);
    active = options.build(document);
    options.onChange?.();
    status = {
      name: options.name,
      state: 'loaded',
      lastLoadAt: now().toISOString(),
      brokenKeys: parsed.brokenKeys,
      keptKeys,
      problems: parsed.problems,
    };
    lastLoggedError = undefined;
    setLoaded(true);
    logLoad(options, parsed, keptKeys);
  };

  return {
    name: options.name,
    get reservedPrefixes() {
      return active.reservedPrefixes;
    },
    map: (identity: Identity): MatchedMapping | undefined => active.map(identity),
    isAccountAllowed: (accountId: string) => active.isAccountAllowed(accountId),
    current: () => active,
    status: () => status,

    load(text) {
      const parsed = options.parse(text);
      countProblems(options, parsed.problems);
      if (!parsed.valid) {
        fail(`the new version is not valid: ${describeProblems(parsed.problems)}`, 'document');
        return;
      }
      try {
        install(parsed);
      } catch (error) {
        fail(`building the mappings failed: ${(error as Error).message}`, 'document');
      }
    },

    clear() {
      active = empty;
      options.onChange?.();
      lastGood.clear();
      status = { name: options.name, state: 'missing', lastLoadAt: now().toISOString(), brokenKeys: [], keptKeys: [], problems: [] };
      setLoaded(false);
      options.logger?.warn({ source: options.name }, 'mapping source removed; its mappings are cleared');
    },

    recordError(error) {
      fail(error.message, 'file');
    },
  };
}

/**
 * Applies the bad-key policy: with keepLastGood, each broken key takes its entries from the last
 * version in which it parsed. Keys that parsed are remembered as that key's last good version.
 */
function applyPolicy<Document>(
  parsed: ParsedDocument<Document>,
  options: ReloadingSourceOptions<Document>,
  lastGood: Map<string, Document>,
): { document: Document; keptKeys: string[] } {
  let document = parsed.document;
  const keptKeys: string[] = [];

  for (const key of parsed.brokenKeys) {
    const previous = lastGood.get(key);
    if (options.keepLastGood === true && previous !== undefined) {
      document = options.replaceKey(document, key, previous);
      keptKeys.push(key);
    }
  }
  for (const key of options.keys) {
    if (!parsed.brokenKeys.includes(key)) {
      lastGood.set(key, parsed.document);
    }
  }
  return { document, keptKeys };
}

function countProblems(options: ReloadingSourceOptions<unknown>, problems: readonly SourceProblem[]): void {
  for (const problem of problems) {
    options.metrics?.mappingSourceErrors.inc({ source: options.name, key: problem.key });
  }
}

function logLoad(options: ReloadingSourceOptions<unknown>, parsed: ParsedDocument<unknown>, keptKeys: readonly string[]): void {
  const fields = { source: options.name, brokenKeys: parsed.brokenKeys, keptKeys, problems: parsed.problems };
  if (parsed.brokenKeys.length > 0) {
    const policy = options.keepLastGood === true ? 'broken keys keep their last good entries' : 'broken keys load empty';
    options.logger?.error(fields, `mapping source loaded with errors: ${policy}`);
  } else if (parsed.problems.length > 0) {
    options.logger?.warn(fields, 'mapping source loaded; some entries were skipped');
  } else {
    options.logger?.info({ source: options.name }, 'mapping source loaded');
  }
}

function describeProblems(problems: readonly SourceProblem[]): string {
  if (problems.length === 0) {
    return 'no details';
  }
  return problems.map((problem) => `${problem.key}: ${problem.message}`).join('; ');
}

function emptySource(name: string): MappingSource {
  return { name, reservedPrefixes: [], map: () => undefined, isAccountAllowed: () => false };
}

export type SourceFileWatchOptions = Pick<FileWatcherOptions, 'pollIntervalMs' | 'debounceMs' | 'useFsWatch'>;

/** Feeds a file into a reloading source: each change loads, a removal clears, failures are recorded. */
export function watchSourceFile(path: string, source: ReloadingSource, options: SourceFileWatchOptions = {}): FileWatcher {
  return createFileWatcher(path, {
    ...options,
    onLoad: (text) => source.load(text),
    onDelete: () => source.clear(),
    onError: (error) => source.recordError(error),
  });
}
