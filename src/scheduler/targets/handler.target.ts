import { Injectable } from '@nestjs/common';
import type { HandlerTarget } from '../../jobs/job.entity.js';
import type { ClaimedRun } from '../../executions/run.types.js';
import { HandlerRegistry } from './handler-registry.js';
import type { TargetResult, TargetRunner } from './target.types.js';

/** Output values larger than this (as JSON) are replaced by a note, to keep rows small. */
const RESULT_LIMIT = 4096;

function resultOutput(value: unknown): Record<string, unknown> {
  if (value === undefined) {
    return {};
  }
  try {
    const json = JSON.stringify(value);
    return json.length <= RESULT_LIMIT ? { result: value } : { result: '[truncated]' };
  } catch {
    return { result: '[not serialisable]' };
  }
}

/** Runs a named in-process handler; the abort signal races it, so a stuck handler still ends. */
@Injectable()
export class HandlerTargetRunner implements TargetRunner {
  constructor(private readonly registry: HandlerRegistry) {}

  async run(run: ClaimedRun, signal: AbortSignal): Promise<TargetResult> {
    const name = (run.job.target as HandlerTarget).name;
    const handler = this.registry.get(name);
    if (!handler) {
      return { ok: false, output: {}, error: `no job handler named "${name}"` };
    }
    const context = {
      jobId: run.job.id,
      jobName: run.job.name,
      executionId: run.executionId,
      attempt: run.attempt,
      trigger: run.trigger,
      scheduledFor: run.scheduledFor,
      idempotencyKey: run.idempotencyKey,
    };
    const aborted = new Promise<never>((_, reject) => {
      const fail = (): void => reject(signal.reason as Error);
      if (signal.aborted) {
        fail();
      }
      signal.addEventListener('abort', fail, { once: true });
    });
    // The race may settle first; the late abort must not become an unhandled rejection.
    aborted.catch(() => undefined);
    const value: unknown = await Promise.race([
      Promise.resolve().then(() => handler.handle(run.job.payload, context, signal)),
      aborted,
    ]);
    return { ok: true, output: resultOutput(value) };
  }
}
