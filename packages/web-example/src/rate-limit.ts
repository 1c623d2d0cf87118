// Per-client token buckets: a client may make `burst` requests at once and `perMinute` a minute
// after that. Keyed by remote address; a site behind a proxy keys by its trusted forwarded header.
export interface RateLimit {
  readonly perMinute: number;
  readonly burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly limit: RateLimit) {}

  /** Takes one token for `client`; false when the client must wait. */
  take(client: string, now = Date.now()): boolean {
    const { perMinute, burst } = this.limit;
    const b = this.buckets.get(client) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) * perMinute) / 60_000);
    b.at = now;
    this.buckets.set(client, b);
    if (this.buckets.size > 10_000) this.prune(now);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Forget clients whose bucket has refilled: they are indistinguishable from new ones. */
  private prune(now: number): void {
    const full = (this.limit.burst * 60_000) / this.limit.perMinute;
    for (const [k, b] of this.buckets) if (now - b.at >= full) this.buckets.delete(k);
  }
}
