import type { JobType, MisfirePolicy } from '../core/job-vocabulary.js';

/** The columns a claim reads to decide a slot (no payload: keeps the locking read small). */
export interface JobSlotRow {
  id: string;
  isActive: boolean;
  nextRunAt: Date | null;
  jobType: JobType;
  cronExpression: string | null;
  timezone: string;
  intervalMs: number | null;
  runAt: Date | null;
  misfirePolicy: MisfirePolicy;
  /** Set while paused (the job is then inactive); pausedUntil is when it resumes by itself. */
  pausedAt: Date | null;
  pausedUntil: Date | null;
  /** Bumped by the jobs trigger on every definition change (not by claims). */
  updatedAt: Date;
}
