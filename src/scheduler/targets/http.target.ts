import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { Clock } from '../../core/time/clock.js';
import type { HttpTarget as HttpTargetSpec } from '../../jobs/job.entity.js';
import type { ClaimedRun } from '../../executions/run.types.js';
import { HttpClient } from './http-client.js';
import { assertUrlAllowed } from '../../core/net/target-policy.js';
import { signBody } from '../../core/net/signature.js';
import { responseProblem } from '../../jobs/success-criteria.js';
import type { TargetResult, TargetRunner } from './target.types.js';

/** Bytes of the response body kept in the execution's output. */
export const RESPONSE_BODY_LIMIT = 4096;

/**
 * Calls an http target: JSON body (the target's body, else the job payload), the scheduler's
 * X-* headers, an optional signature, the attempt's AbortSignal as deadline, redirects not
 * followed. Success is the target's successStatus (default 2xx) and expectBody; the status,
 * duration and the first 4 KB of the body are the output.
 */
@Injectable()
export class HttpTargetRunner implements TargetRunner {
  constructor(
    private readonly http: HttpClient,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(run: ClaimedRun, signal: AbortSignal): Promise<TargetResult> {
    const target = run.job.target as HttpTargetSpec;
    assertUrlAllowed(target.url, this.config.targets.allowlist);
    const method = target.method ?? 'POST';
    const body = method === 'GET' ? undefined : JSON.stringify(target.body ?? run.job.payload);
    const started = this.clock.nowMs();
    const res = await this.http.call({
      url: target.url,
      method,
      headers: this.headers(run, target, body),
      body,
      signal,
      keepBodyBytes: RESPONSE_BODY_LIMIT,
    });
    const output = { status: res.status, durationMs: this.clock.nowMs() - started, body: res.body };
    const problem = responseProblem(res.status, res.body, target);
    return problem === null
      ? { ok: true, output, httpStatus: res.status }
      : { ok: false, output, httpStatus: res.status, error: problem };
  }

  private headers(
    run: ClaimedRun,
    target: HttpTargetSpec,
    body: string | undefined,
  ): Record<string, string> {
    const headers: Record<string, string> = {};
    // Header names are case-insensitive: ours replace any same-named header of the target.
    for (const [name, value] of Object.entries(target.headers ?? {})) {
      headers[name.toLowerCase()] = value;
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    headers['user-agent'] = 'job-scheduler';
    headers['x-job-id'] = run.job.id;
    headers['x-execution-id'] = run.executionId;
    headers['x-scheduled-for'] = (run.scheduledFor ?? run.startedAt).toISOString();
    headers['x-attempt'] = String(run.attempt + 1);
    // Per run, not per attempt: what a receiver dedupes on (X-Execution-Id changes per attempt).
    headers['idempotency-key'] = run.idempotencyKey;
    const secret = this.config.targets.signingSecret;
    if (secret) {
      const t = Math.floor(this.clock.nowMs() / 1000);
      headers['x-signature'] = signBody(secret, t, body ?? '');
    }
    return headers;
  }
}
