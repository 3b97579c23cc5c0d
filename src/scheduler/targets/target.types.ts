import type { ClaimedRun } from '../../executions/run.types.js';

/** What a target reports; `ok: false` fails the attempt with `error` as its errorMessage. */
export interface TargetResult {
  ok: boolean;
  output: Record<string, unknown>;
  error?: string;
  /** The response status of an http target. */
  httpStatus?: number;
}

export interface TargetRunner {
  run(run: ClaimedRun, signal: AbortSignal): Promise<TargetResult>;
}
