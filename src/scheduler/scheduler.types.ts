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
  /** Calendar ids whose slots are skipped. */
  excludeCalendars: string[];
  misfirePolicy: MisfirePolicy;
  /** Bumped by the jobs trigger on every definition change (not by claims). */
  updatedAt: Date;
}
