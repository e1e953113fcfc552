import { KubeiamError } from '../errors.js';
import type { ClusterUpdate } from './client.js';

export interface WaitOptions {
  /** Default: 10 s, the interval eksctl's waiter uses for cluster updates. */
  readonly intervalMs?: number;
  /** Default: 25 minutes. */
  readonly timeoutMs?: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Called after every poll, e.g. to draw progress on a terminal. */
  readonly onProgress?: (update: ClusterUpdate, elapsedMs: number) => void;
}

/**
 * Polls DescribeUpdate until the update leaves InProgress, at most `timeoutMs`. Returns a Successful
 * update; throws a KubeiamError for Failed or Cancelled (with EKS's error messages) and on timeout.
 */
export async function waitForUpdate(
  describe: (updateId: string) => Promise<ClusterUpdate>,
  updateId: string,
  options: WaitOptions,
): Promise<ClusterUpdate> {
  const interval = options.intervalMs ?? 10 * 1000;
  const timeout = options.timeoutMs ?? 25 * 60 * 1000;
  const start = options.now();

  for (;;) {
    const update = await describe(updateId);
    const elapsed = options.now() - start;
    options.onProgress?.(update, elapsed);
    if (update.status === 'Successful') return update;
    if (update.status !== 'InProgress') {
      const detail = update.errors.length > 0 ? `: ${update.errors.join('; ')}` : '';
      throw new KubeiamError('EKS_UPDATE_FAILED', `cluster update ${updateId} ended with status ${update.status}${detail}`, { updateId, status: update.status });
    }
    if (elapsed + interval > timeout) {
      throw new KubeiamError('EKS_UPDATE_TIMEOUT', `cluster update ${updateId} is still InProgress after ${Math.round(elapsed / 1000)} s: check it later with kubeiam auth-mode show`, { updateId });
    }
    await options.sleep(interval);
  }
}
