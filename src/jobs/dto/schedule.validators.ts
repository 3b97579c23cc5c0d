import type { ValidationOptions } from 'class-validator';
import { rule } from '../../core/http/validators.js';
import { cronProblem } from '../schedule/schedule.js';

/** A cron expression the schedule model can run and that ever fires (in UTC; zone: job-definition). */
export const IsCron = (options?: ValidationOptions): PropertyDecorator =>
  rule('isCron', (v) => (typeof v === 'string' ? cronProblem(v) : 'must be a string'), options);
