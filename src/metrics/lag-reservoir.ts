/**
 * The last `capacity` firing lags, for exact recent percentiles in /api/stats/system (the
 * Prometheus histogram only knows buckets). Fixed memory; old samples are overwritten.
 */
export class LagReservoir {
  private readonly samples: Float64Array;
  private next = 0;
  private size = 0;

  constructor(capacity = 1024) {
    this.samples = new Float64Array(capacity);
  }

  add(valueMs: number): void {
    this.samples[this.next] = valueMs;
    this.next = (this.next + 1) % this.samples.length;
    this.size = Math.min(this.size + 1, this.samples.length);
  }

  get count(): number {
    return this.size;
  }

  /** Nearest-rank percentile (p in 0..100) of the samples held; null when empty. */
  percentile(p: number): number | null {
    if (this.size === 0) {
      return null;
    }
    const sorted = Array.from(this.samples.subarray(0, this.size)).sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[rank - 1];
  }
}
