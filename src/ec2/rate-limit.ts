/** Milliseconds of a monotonic clock, and a way to wait; both injected so tests control time. */
export interface RateLimitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: RateLimitClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A token bucket like Go's rate.Limiter: `qps` tokens are added per second up to `burst`, and each
 * call takes one, waiting for it when the bucket is empty. Waiters are served in call order, because
 * each reserves its token (the balance may go negative) before it sleeps. qps 0 means no limit.
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: RateLimitClock = SYSTEM_CLOCK,
  ) {
    if (qps < 0 || !Number.isFinite(qps)) throw new RangeError(`qps must be 0 or more, got ${qps}`);
    if (qps > 0 && !(burst >= 1)) throw new RangeError(`burst must be at least 1 when qps is ${qps}, got ${burst}`);
    this.#tokens = burst;
    this.#updatedAt = clock.now();
  }

  /** Takes one token, waiting until it is available. */
  async acquire(): Promise<void> {
    if (this.qps === 0) return;
    const now = this.clock.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#updatedAt) * this.qps) / 1000);
    this.#updatedAt = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    await this.clock.sleep((-this.#tokens * 1000) / this.qps);
  }
}
