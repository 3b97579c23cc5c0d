import { DiscoveryService } from '@nestjs/core';
import type { ExecutionTrigger } from '../../executions/execution.entity.js';

/** What a handler learns about the run it serves. */
export interface JobHandlerContext {
  jobId: string;
  jobName: string;
  executionId: string;
  /** 0 for the first attempt, n for the n-th retry. */
  attempt: number;
  trigger: ExecutionTrigger;
  scheduledFor: Date | null;
  /** The same for every attempt of this run (retries, recovery, any replica): dedupe on it. */
  idempotencyKey: string;
}

/**
 * An in-process job target: the extension point for work that should run inside the service
 * instead of behind an HTTP endpoint.
 *
 * Write a provider class decorated with `@JobHandler('name')` that implements this interface and
 * list it in the `providers` of any module of the app; jobs then use
 * `target: { type: 'handler', name: 'name' }`. The scheduler finds it at start through Nest's
 * DiscoveryService. `handle` resolves to succeed (its JSON-serialisable value becomes
 * `output.result`) and throws/rejects to fail (the message becomes `errorMessage`, and the
 * attempt is retried per the job's maxRetries). `signal` aborts at the job's timeoutMs, on SIGTERM
 * after the grace period and when concurrencyPolicy `replace` starts a newer run: stop work and
 * reject promptly when it fires. A run may be retried, so make the work idempotent on
 * `context.executionId`'s job and slot (`jobId` + `scheduledFor`).
 *
 * @example
 * ```ts
 * @JobHandler('send-report')
 * export class SendReportHandler implements JobHandlerInstance {
 *   constructor(private readonly mailer: Mailer) {}
 *   async handle(payload: Record<string, unknown>, ctx: JobHandlerContext, signal: AbortSignal) {
 *     return this.mailer.send(String(payload.to), { signal });
 *   }
 * }
 * ```
 */
export interface JobHandlerInstance {
  handle(
    payload: Record<string, unknown>,
    context: JobHandlerContext,
    signal: AbortSignal,
  ): unknown;
}

/** Marks a provider as the handler named `name` (see {@link JobHandlerInstance}). */
export const JobHandler = DiscoveryService.createDecorator<string>();
