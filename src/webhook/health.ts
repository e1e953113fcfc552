/** One mapping problem found while loading a source, e.g. a `mapRoles` key that failed to parse. */
export interface SourceProblem {
  /** ConfigMap key (`mapRoles`, `mapUsers`, `mapAccounts`) or `file` for read failures. */
  readonly key: string;
  readonly message: string;
}

/** State of one mapping source, as `/healthz?verbose` reports it. */
export interface SourceStatus {
  readonly name: string;
  /** `pending` before the first load, `loaded` with mappings installed, `missing` without a file. */
  readonly state: 'pending' | 'loaded' | 'missing';
  /** Time of the last load or clear, ISO 8601. */
  readonly lastLoadAt?: string;
  /** Keys that failed to parse in the last load. */
  readonly brokenKeys: readonly string[];
  /** Broken keys whose entries come from an earlier good load (keep-last-good policy). */
  readonly keptKeys: readonly string[];
  readonly problems: readonly SourceProblem[];
  /** Last read or watch failure since the last successful load. */
  readonly lastError?: string;
  readonly lastErrorAt?: string;
}

/** The `/healthz?verbose` body. `degraded` means some source is missing, broken or failing. */
export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly sources: readonly SourceStatus[];
}

/** Something that can report its state, such as a reloading mapping source. */
export interface HealthReporter {
  status(): SourceStatus;
}

/** Builds the health report of the given sources. */
export function buildHealthReport(reporters: Iterable<HealthReporter>): HealthReport {
  const sources = [...reporters].map((reporter) => reporter.status());
  const degraded = sources.some(
    (source) => source.state === 'missing' || source.brokenKeys.length > 0 || source.lastError !== undefined,
  );
  return { status: degraded ? 'degraded' : 'ok', sources };
}
