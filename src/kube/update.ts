import type { ConfigMapClient, ConfigMapWrite } from './client.js';
import type { LiveConfigMap } from './configmap.js';
import { isKubeError, KubeError } from './errors.js';

/** The decision of an edit for the version it was given. */
export interface UpdatePlan<T> {
  /** The new content, or undefined to write nothing. */
  readonly write: ConfigMapWrite | undefined;
  readonly value: T;
}

export interface UpdateOptions {
  /** Attempts before giving up on conflicts. Default: 10. */
  readonly maxAttempts?: number;
  /** Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Returns a number in [0, 1) for the backoff jitter. Default: Math.random. */
  readonly random?: () => number;
  /** Runs after an edit decided to write and before the write, e.g. to save a backup of `current`. */
  readonly beforeWrite?: (current: LiveConfigMap | undefined, write: ConfigMapWrite) => Promise<void>;
  /** Runs after a write failed with a conflict, before the next attempt. */
  readonly afterConflict?: (current: LiveConfigMap | undefined) => Promise<void>;
}

export interface UpdateResult<T> {
  readonly value: T;
  /** The version the successful edit started from; undefined when the ConfigMap did not exist. */
  readonly before: LiveConfigMap | undefined;
  /** The version written; undefined when the edit wrote nothing. */
  readonly after: LiveConfigMap | undefined;
  readonly attempts: number;
  readonly conflicts: number;
}

const DEFAULT_MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 50;
const MAX_DELAY_MS = 2_000;

/**
 * Reads a ConfigMap, runs `edit` on it and writes the result with the resourceVersion it read. When
 * the API server responds 409 Conflict (someone wrote in between) or the ConfigMap was created
 * meanwhile, the ConfigMap is read again and the edit re-applied to the new version, after a
 * jittered exponential backoff, up to `maxAttempts` times. The edit must be a pure function of the
 * version it gets, because it can run more than once.
 */
export async function updateConfigMap<T>(
  client: ConfigMapClient,
  name: string,
  edit: (current: LiveConfigMap | undefined) => Promise<UpdatePlan<T>>,
  options: UpdateOptions = {},
): Promise<UpdateResult<T>> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  let conflicts = 0;

  for (let attempt = 1; ; attempt++) {
    const current = await client.read(name);
    const plan = await edit(current);
    if (plan.write === undefined) return { value: plan.value, before: current, after: undefined, attempts: attempt, conflicts };

    try {
      await options.beforeWrite?.(current, plan.write);
      const after = current === undefined ? await client.create(name, plan.write) : await client.replace(current, plan.write);
      return { value: plan.value, before: current, after, attempts: attempt, conflicts };
    } catch (error) {
      if (!isKubeError(error, 'KUBE_CONFLICT') && !isKubeError(error, 'KUBE_ALREADY_EXISTS')) throw error;
      conflicts += 1;
      await options.afterConflict?.(current);
      if (attempt >= maxAttempts) throw exhausted(client, name, maxAttempts);
      await sleep(backoff(attempt, random));
    }
  }
}

/** Full jitter: a random delay up to 50 ms × 2^(attempt-1), capped at 2 s. */
function backoff(attempt: number, random: () => number): number {
  return Math.round(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)));
}

function exhausted(client: ConfigMapClient, name: string, attempts: number): KubeError {
  return new KubeError(
    'KUBE_CONFLICT_RETRIES_EXHAUSTED',
    `configmap ${client.namespace}/${name} changed under every one of ${attempts} update attempts; another writer keeps changing it, so wait for it to finish and run the command again`,
    { name, attempts },
  );
}
