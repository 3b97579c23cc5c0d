/** A job's alert settings as stored (jobs.alerts) and returned: every flag explicit. */
export interface JobAlerts {
  channels: string[];
  onFailure: boolean;
  onRecovery: boolean;
  onAutoPause: boolean;
  missedAfterMs: number | null;
  noSuccessWithinMs: number | null;
}

export const ALERT_LIMITS = {
  channelsMax: 10,
  /** 1 s .. 30 days. */
  windowMs: { min: 1000, max: 30 * 24 * 3600 * 1000 },
  autoPauseAfterFailures: { min: 1, max: 100 },
} as const;

/** The stored form of a request's `alerts` (defaults filled in); null stays null. */
export function normalizeAlerts(input: Partial<JobAlerts> | null | undefined): JobAlerts | null {
  if (!input) {
    return null;
  }
  return {
    channels: [...(input.channels ?? [])],
    onFailure: input.onFailure ?? true,
    onRecovery: input.onRecovery ?? true,
    onAutoPause: input.onAutoPause ?? true,
    missedAfterMs: input.missedAfterMs ?? null,
    noSuccessWithinMs: input.noSuccessWithinMs ?? null,
  };
}

/**
 * Which notification channels exist, asked by the jobs API when a job names some. Provided by the
 * alerts module (which owns the channels) from a global module; absent, names are not checked
 * (the outbox only ever writes to channels that exist).
 */
export const ALERT_CHANNELS = Symbol('ALERT_CHANNELS');

export interface AlertChannelCatalog {
  /** The ids among `ids` that name no channel. */
  missing(ids: string[]): Promise<string[]>;
}
