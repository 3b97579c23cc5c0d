import { Injectable } from '@nestjs/common';
import { Clock } from '../core/time/clock.js';
import { localIso } from '../core/time/zone.js';
import type { UpcomingQueryDto, UpcomingResponseDto, UpcomingSlotDto } from './dto/upcoming.dto.js';
import { JobsRepository } from './jobs.repository.js';
import { isOneShot, nextSlot, scheduleOf } from './schedule/schedule.js';

/** The next slots across all jobs (the console's timeline), from the one schedule model. */
@Injectable()
export class UpcomingSlotsService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Reads only the `limit` jobs due soonest: each contributes its next_run_at, so the `limit`-th
   * slot overall is no later than the `limit`-th job's next_run_at and no job further down that
   * order can have an earlier one. Their later slots in the window come from `nextSlot`.
   */
  async soonest(query: UpcomingQueryDto): Promise<UpcomingResponseDto> {
    const from = this.clock.now();
    const to = new Date(from.getTime() + query.withinMinutes * 60_000);
    const jobs = await this.jobs.soonestDue(to, query.limit);
    const slots: UpcomingSlotDto[] = [];
    for (const job of jobs) {
      let schedule;
      try {
        schedule = scheduleOf(job);
      } catch {
        continue; // a cron expression written around the API: the reconciler reports it
      }
      let slot: Date | null = job.nextRunAt;
      for (let n = 0; slot && slot < to && n < query.limit; n++) {
        slots.push({
          jobId: job.id,
          jobName: job.name,
          timezone: job.timezone,
          at: slot.toISOString(),
          local: localIso(job.timezone, slot),
        });
        slot = isOneShot(schedule) ? null : nextSlot(schedule, slot);
      }
    }
    slots.sort((a, b) => a.at.localeCompare(b.at) || a.jobId.localeCompare(b.jobId));
    return { from: from.toISOString(), to: to.toISOString(), slots: slots.slice(0, query.limit) };
  }
}
