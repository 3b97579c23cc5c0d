import { SYSTEM_ACTOR, type AuditService } from '../audit/audit.service.js';
import type { AuditEntry } from '../audit/audit.types.js';
import type { InTriggerTransaction } from './scheduler.port.js';
import { definitionOf } from './job-definition.js';
import type { JobEntity } from './job.entity.js';

/** A job as its audit rows show it: the definition and its version (never counters). */
export function auditedJob(job: JobEntity): Record<string, unknown> {
  return {
    ...definitionOf(job),
    // Set by the pause actions only (not part of a create or update body), audited all the same.
    pausedAt: job.pausedAt,
    pausedUntil: job.pausedUntil,
    pauseNote: job.pauseNote,
    version: job.version,
  };
}

/** An update that only switches isActive is named for what it does. */
function updateAction(before: JobEntity, after: JobEntity): string {
  const a = definitionOf(before) as Record<string, unknown>;
  const b = definitionOf(after) as Record<string, unknown>;
  const changed = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  if (changed.length === 1 && changed[0] === 'isActive') {
    return after.isActive ? 'job.activate' : 'job.deactivate';
  }
  return 'job.update';
}

/**
 * The audit entry of a change to job `before` → `after` (null for a create or a delete);
 * `action` overrides the derived one (bulk operations name themselves).
 */
export function jobAudit(
  before: JobEntity | null,
  after: JobEntity | null,
  action?: string,
): AuditEntry {
  const job = (after ?? before)!;
  return {
    action:
      action ??
      (before && after ? updateAction(before, after) : before ? 'job.delete' : 'job.create'),
    resourceType: 'job',
    resourceId: job.id,
    before: before && auditedJob(before),
    after: after && auditedJob(after),
    always: !(before && after),
  };
}

/**
 * Records a manual run (a trigger, a bulk trigger, a replay) in the transaction that records the
 * run (SchedulerPort.triggerNow/replay): one row naming the new execution, plus `extra`.
 */
export function auditRun(
  audit: AuditService,
  action: string,
  extra: Record<string, unknown> = {},
): InTriggerTransaction {
  return (m, run) =>
    audit.record(m, {
      action,
      resourceType: 'job',
      resourceId: run.jobId,
      after: { executionId: run.executionId, triggeredAt: run.triggeredAt, ...extra },
    });
}

/** A timed pause the scheduler ended (at its `until`), as RESUME_SQL answers it. */
export interface EndedPause {
  id: string;
  isActive: boolean;
  /** The version the resume moved the job to. */
  version: number;
  pausedAt: Date;
  pausedUntil: Date;
  pauseNote: string | null;
}

/** The `job.resume` row of a pause that ended by itself: the system's change, as a resume's. */
export function endedPauseAudit(p: EndedPause): AuditEntry {
  return {
    action: 'job.resume',
    resourceType: 'job',
    resourceId: p.id,
    actor: SYSTEM_ACTOR,
    before: {
      isActive: false,
      pausedAt: p.pausedAt,
      pausedUntil: p.pausedUntil,
      pauseNote: p.pauseNote,
      version: p.version - 1,
    },
    after: {
      isActive: p.isActive,
      pausedAt: null,
      pausedUntil: null,
      pauseNote: null,
      version: p.version,
    },
  };
}
