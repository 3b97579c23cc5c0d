import { median, overRuns, type OverRuns } from './stats.js';

export type Figures = Record<string, number>;

export interface Contender {
  name: string;
  /** One measured run; `run` is the 0-based run index. */
  run(run: number): Promise<Figures>;
}

export interface InterleavedResult {
  /** contender -> metric -> median/min/max over runs */
  summary: Record<string, Record<string, OverRuns>>;
  /** contender -> per-run figures, in run order */
  perRun: Record<string, Figures[]>;
}

/**
 * Runs the contenders interleaved (A B A B ... for `runs` rounds) so that a noisy neighbour on
 * a shared machine hits both sides alike, and keeps every run's figures.
 */
export async function runInterleaved(
  contenders: Contender[],
  runs: number,
  onRun?: (name: string, run: number, figures: Figures) => void,
): Promise<InterleavedResult> {
  const perRun: Record<string, Figures[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const c of contenders) {
      const figures = await c.run(i);
      perRun[c.name].push(figures);
      onRun?.(c.name, i, figures);
    }
  }
  const summary: Record<string, Record<string, OverRuns>> = {};
  for (const [name, list] of Object.entries(perRun)) {
    const metrics = Object.keys(list[0] ?? {});
    summary[name] = Object.fromEntries(metrics.map((m) => [m, overRuns(list.map((f) => f[m]))]));
  }
  return { summary, perRun };
}

/**
 * The ratio a/b of one metric, taken run by run (each pair ran back to back) and summarised
 * by its median, min and max.
 */
export function ratio(result: InterleavedResult, a: string, b: string, metric: string): OverRuns {
  const left = result.perRun[a];
  const right = result.perRun[b];
  const pairs = left.map((f, i) => f[metric] / right[i][metric]);
  return { ...overRuns(pairs), median: median(pairs) };
}
