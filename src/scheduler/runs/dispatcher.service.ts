import { Injectable, Logger } from '@nestjs/common';
import { EventBus } from '../../core/events/event-bus.js';
import { Clock } from '../../core/time/clock.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { ExecutionLedgerRepository } from '../../executions/execution-ledger.repository.js';
import { FinishQueue } from './finish-queue.js';
import { retryDelayMs } from './retry-backoff.js';
import type { ClaimedRun, FinalStatus, FinishedAttempt } from '../../executions/run.types.js';
import { HandlerTargetRunner } from '../targets/handler.target.js';
import { HttpTargetRunner } from '../targets/http.target.js';
import type { TargetResult } from '../targets/target.types.js';

/** Target calls in flight per replica; further claimed runs queue (see ConcurrencyGate). */
export const MAX_CONCURRENT_TARGET_CALLS = 256;

export type AbortCause = 'timeout' | 'shutdown' | 'closed';

/** Why an attempt's AbortController fired; decides the status it is recorded with. */
export class AttemptAbort extends Error {
  constructor(readonly reason: AbortCause) {
    super(
      reason === 'timeout'
        ? 'timed out'
        : reason === 'shutdown'
          ? 'interrupted by replica shutdown'
          : 'closed elsewhere (replaced by a newer run or declared lost)',
    );
  }
}

interface Attempt {
  run: ClaimedRun;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Runs claimed attempts: the target under an AbortController that fires at timeoutMs, then the
 * outcome (and a retry, when one is due) recorded through the FinishQueue. Every attempt in
 * flight is kept so shutdown can wait for it, and so a row closed elsewhere can abort it.
 */
@Injectable()
export class DispatcherService {
  private readonly logger = new Logger(DispatcherService.name);
  private readonly attempts = new Map<string, Attempt>();
  private readonly gate = new ConcurrencyGate(MAX_CONCURRENT_TARGET_CALLS);

  constructor(
    private readonly http: HttpTargetRunner,
    private readonly handlers: HandlerTargetRunner,
    private readonly finishes: FinishQueue,
    private readonly ledger: ExecutionLedgerRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  get runningCount(): number {
    return this.attempts.size;
  }

  runningIds(): string[] {
    return [...this.attempts.keys()];
  }

  /** Starts the attempt; the returned promise settles once its outcome is recorded. */
  dispatch(run: ClaimedRun): Promise<void> {
    const controller = new AbortController();
    const attempt: Attempt = { run, controller, done: Promise.resolve() };
    this.attempts.set(run.executionId, attempt);
    this.events.publish('slot.fired', {
      jobId: run.job.id,
      executionId: run.executionId,
      trigger: run.trigger,
      scheduledFor: run.scheduledFor ?? run.startedAt,
      dueAt: run.dueAt,
      startedAt: run.startedAt,
    });
    attempt.done = this.execute(run, controller).finally(() =>
      this.attempts.delete(run.executionId),
    );
    return attempt.done;
  }

  /** Aborts an attempt of this replica (replace policy, or its row was closed elsewhere). */
  abort(executionId: string, cause: AbortCause): void {
    this.attempts.get(executionId)?.controller.abort(new AttemptAbort(cause));
  }

  /** Waits for the attempts in flight up to `graceMs`, then aborts the rest as interrupted. */
  async drain(graceMs: number): Promise<void> {
    const all = (): Promise<unknown> =>
      Promise.allSettled([...this.attempts.values()].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    const expired = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (expired) {
      for (const a of this.attempts.values()) {
        a.controller.abort(new AttemptAbort('shutdown'));
      }
      await all();
    }
  }

  private async execute(run: ClaimedRun, controller: AbortController): Promise<void> {
    if (run.replacesRunning) {
      await this.replaceOlder(run);
    }
    await this.gate.acquire();
    const started = this.clock.nowMs();
    let result: TargetResult;
    try {
      result = await this.callTarget(run, controller);
    } finally {
      this.gate.release();
    }
    const status = statusOf(result, controller.signal);
    if (status !== 'completed') {
      this.logger.warn({
        msg: 'run failed',
        jobId: run.job.id,
        executionId: run.executionId,
        status,
        error: result.error,
      });
    }
    await this.finishes.finish(this.finished(run, status, result, this.clock.nowMs() - started));
  }

  /** The target under the attempt's signal, which also fires at timeoutMs. */
  private async callTarget(run: ClaimedRun, controller: AbortController): Promise<TargetResult> {
    if (controller.signal.aborted) {
      return { ok: false, output: {}, error: errorText(undefined, controller.signal) };
    }
    const timer = setTimeout(
      () => controller.abort(new AttemptAbort('timeout')),
      run.job.timeoutMs,
    );
    try {
      return await this.target(run).run(run, controller.signal);
    } catch (e) {
      return { ok: false, output: {}, error: errorText(e, controller.signal) };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * concurrencyPolicy replace: the older runs are closed in the database first (so whichever
   * replica runs them sees it), and aborted right away when they run here.
   */
  private async replaceOlder(run: ClaimedRun): Promise<void> {
    try {
      const { closed } = await this.ledger.interruptOthers(run.job.id, run.executionId);
      for (const c of closed) {
        this.abort(c.id, 'closed');
        this.events.publish('execution.finished', {
          jobId: c.job_id,
          executionId: c.id,
          status: 'interrupted',
          targetType: c.target_type,
          durationMs: c.duration_ms,
          attempt: c.retry_count,
        });
      }
    } catch (e) {
      this.logger.warn(`could not interrupt older runs of ${run.job.id}: ${(e as Error).message}`);
    }
  }

  private finished(
    run: ClaimedRun,
    status: FinalStatus,
    result: TargetResult,
    durationMs: number,
  ): FinishedAttempt {
    const retriable = status === 'failed' || status === 'timeout';
    const next = run.attempt + 1;
    const retry =
      retriable && next <= run.job.maxRetries
        ? {
            attempt: next,
            runAt: new Date(
              this.clock.nowMs() + retryDelayMs(run.job.retryBackoff, run.job.retryDelayMs, next),
            ),
          }
        : null;
    return {
      run,
      status,
      durationMs,
      errorMessage: status === 'completed' ? null : (result.error ?? 'failed'),
      output: result.output,
      httpStatus: result.httpStatus ?? null,
      retry,
    };
  }

  private target(run: ClaimedRun): HttpTargetRunner | HandlerTargetRunner {
    return run.job.target.type === 'http' ? this.http : this.handlers;
  }
}

function statusOf(result: TargetResult, signal: AbortSignal): FinalStatus {
  if (result.ok) {
    return 'completed';
  }
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  if (reason instanceof AttemptAbort) {
    return reason.reason === 'timeout' ? 'timeout' : 'interrupted';
  }
  return 'failed';
}

function errorText(e: unknown, signal: AbortSignal): string {
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  if (reason instanceof AttemptAbort) {
    return reason.message;
  }
  const err = e as Error & { cause?: { message?: string } };
  const cause = err.cause?.message ? `: ${err.cause.message}` : '';
  return `${err.message ?? String(e)}${cause}`.slice(0, 1000);
}
