import { describe, expect, it } from '@jest/globals';
import { STATIC_HANDLER_CATALOG, type HandlerCatalog } from './handler-catalog.js';
import {
  definitionFromCreate,
  definitionProblems,
  initialNextRunAt,
  mergeDefinition,
  timingChanged,
  type JobDefinition,
  type RuleContext,
} from './job-definition.js';

const NOW = new Date('2026-05-01T10:00:00Z');
const ctx: RuleContext = {
  now: NOW,
  checkRunAt: true,
  handlers: STATIC_HANDLER_CATALOG,
  targetAllowlist: [],
};
const base = (over: Partial<JobDefinition> = {}): JobDefinition => ({
  ...definitionFromCreate({ name: 'j', cronExpression: '0 * * * *' }, 'UTC'),
  ...over,
});
const fields = (def: JobDefinition, c = ctx): string[] =>
  definitionProblems(def, c).map((p) => p.field);

describe('job definition rules', () => {
  it('refuses an http target outside HTTP_TARGET_ALLOWLIST or at a metadata address', () => {
    const http = (url: string): JobDefinition => base({ target: { type: 'http', url } });
    const allow = { ...ctx, targetAllowlist: ['*.example.com'] };
    expect(fields(http('https://hooks.example.com/x'), allow)).toEqual([]);
    expect(fields(http('https://evil.test/x'), allow)).toEqual(['target.url']);
    expect(fields(http('http://169.254.169.254/latest/meta-data'))).toEqual(['target.url']);
    expect(fields(http('http://[::ffff:169.254.169.254]/'))).toEqual(['target.url']);
  });

  it('fills the defaults of the original plus the new fields', () => {
    expect(
      definitionFromCreate({ name: 'j', cronExpression: '0 0 * * *' }, 'Asia/Kolkata'),
    ).toEqual({
      name: 'j',
      description: null,
      cronExpression: '0 0 * * *',
      isActive: true,
      jobType: 'scheduled',
      payload: {},
      timeoutMs: 30000,
      maxRetries: 3,
      retryDelayMs: 5000,
      createdBy: null,
      tags: [],
      timezone: 'Asia/Kolkata',
      intervalMs: null,
      runAt: null,
      target: { type: 'handler', name: 'log' },
      concurrencyPolicy: 'forbid',
      misfirePolicy: 'fire_once',
      retryBackoff: 'fixed',
      startAt: null,
      endAt: null,
      jitterMs: 0,
      maxRuns: null,
      excludeCalendars: [],
      alerts: null,
      autoPauseAfterFailures: null,
    });
  });

  it('accepts a coherent job of each type', () => {
    expect(fields(base())).toEqual([]);
    expect(fields(base({ jobType: 'recurring', cronExpression: null, intervalMs: 1000 }))).toEqual(
      [],
    );
    expect(fields(base({ jobType: 'recurring' }))).toEqual([]);
    expect(
      fields(base({ jobType: 'delayed', cronExpression: null, runAt: new Date('2026-05-02') })),
    ).toEqual([]);
    expect(fields(base({ jobType: 'immediate', cronExpression: null }))).toEqual([]);
  });

  it('requires the timing each type needs', () => {
    expect(fields(base({ cronExpression: null }))).toEqual(['cronExpression']);
    expect(fields(base({ jobType: 'recurring', cronExpression: null }))).toEqual(['intervalMs']);
    expect(fields(base({ jobType: 'delayed', cronExpression: null }))).toEqual(['runAt']);
  });

  it('refuses timing fields that do not belong to the type', () => {
    expect(fields(base({ intervalMs: 5000 }))).toEqual(['intervalMs']);
    expect(fields(base({ runAt: new Date('2026-06-01') }))).toEqual(['runAt']);
  });

  it('refuses runAt in the past only when asked to check it', () => {
    const stale = base({
      jobType: 'delayed',
      cronExpression: null,
      runAt: new Date('2026-05-01T09:59:59Z'),
    });
    expect(fields(stale)).toEqual(['runAt']);
    expect(fields(stale, { ...ctx, checkRunAt: false })).toEqual([]);
    expect(fields({ ...stale, runAt: NOW })).toEqual(['runAt']);
  });

  it('refuses a cron that never fires and an unknown handler, naming the known ones', () => {
    expect(definitionProblems(base({ cronExpression: '0 0 31 2 *' }), ctx)).toEqual([
      { field: 'cronExpression', message: 'cronExpression never fires (no matching date)' },
    ]);
    expect(definitionProblems(base({ target: { type: 'handler', name: 'x' } }), ctx)).toEqual([
      { field: 'target.name', message: 'unknown handler "x" (known: log)' },
    ]);
  });

  it('takes handler names from the injected catalog', () => {
    const catalog: HandlerCatalog = { has: (n) => n === 'email', names: () => ['email'] };
    const def = base({ target: { type: 'handler', name: 'email' } });
    expect(fields(def, { ...ctx, handlers: catalog })).toEqual([]);
    expect(fields(def)).toEqual(['target.name']);
  });

  it('merges a partial update: null clears nullable fields and is refused for others', () => {
    const current = base({ description: 'd' });
    const { merged, problems } = mergeDefinition(current, {
      description: null,
      name: 'renamed',
      runAt: '2026-06-01T00:00:00Z',
    });
    expect(problems).toEqual([]);
    expect(merged).toMatchObject({
      description: null,
      name: 'renamed',
      cronExpression: '0 * * * *',
    });
    expect(merged.runAt).toEqual(new Date('2026-06-01T00:00:00Z'));
    const bad = mergeDefinition(current, { name: null, tags: null } as never);
    expect(bad.problems.map((p) => p.field)).toEqual(['name', 'tags']);
  });

  it('detects timing changes, including activation, but not renames', () => {
    const a = base();
    expect(timingChanged(a, { ...a, name: 'x', tags: ['t'] })).toBe(false);
    expect(timingChanged(a, { ...a, timezone: 'Europe/Paris' })).toBe(true);
    expect(timingChanged(a, { ...a, isActive: false })).toBe(true);
    const d = base({ jobType: 'delayed', runAt: new Date('2026-06-01') });
    expect(timingChanged(d, { ...d, runAt: new Date('2026-06-01') })).toBe(false);
    expect(timingChanged(d, { ...d, runAt: new Date('2026-06-02') })).toBe(true);
  });

  it('computes the first nextRunAt only for active jobs', () => {
    expect(initialNextRunAt(base(), NOW)?.toISOString()).toBe('2026-05-01T11:00:00.000Z');
    expect(initialNextRunAt(base({ isActive: false }), NOW)).toBeNull();
    expect(initialNextRunAt(base({ jobType: 'immediate', cronExpression: null }), NOW)).toEqual(
      NOW,
    );
  });

  it('stores alerts with every flag explicit, and replaces them whole on update', () => {
    const def = definitionFromCreate(
      { name: 'j', cronExpression: '0 0 * * *', alerts: { channels: ['c1'], onRecovery: false } },
      'UTC',
    );
    expect(def.alerts).toEqual({
      channels: ['c1'],
      onFailure: true,
      onRecovery: false,
      onAutoPause: true,
      missedAfterMs: null,
      noSuccessWithinMs: null,
    });
    const { merged } = mergeDefinition(def, { alerts: { channels: [], missedAfterMs: 5000 } });
    expect(merged.alerts).toMatchObject({ channels: [], onRecovery: true, missedAfterMs: 5000 });
    expect(mergeDefinition(def, { alerts: null }).merged.alerts).toBeNull();
  });
});
