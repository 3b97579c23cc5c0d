/** Percentile by nearest rank on a copy of `values` (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  const total = values.reduce((s, v) => s + v, 0);
  return {
    count: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : Number.NaN,
    mean: values.length ? total / values.length : Number.NaN,
  };
}

/** A figure over several runs: the median quoted, min and max beside it. */
export interface OverRuns {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function overRuns(runs: readonly number[]): OverRuns {
  return {
    median: median(runs),
    min: Math.min(...runs),
    max: Math.max(...runs),
    runs: [...runs],
  };
}

/** Milliseconds elapsed since `start` (a performance.now() reading). */
export function since(start: number): number {
  return performance.now() - start;
}

/** Rounds for display and JSON: 3 significant decimals below 10, fewer above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) {
    return value;
  }
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : 3;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
