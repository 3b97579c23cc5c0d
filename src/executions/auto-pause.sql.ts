/**
 * SET items of finishMany's jobs update for a job that reached autoPauseAfterFailures (`s.paused`):
 * it stops firing (isActive false, no next slot) like a pause, with a note saying why and when.
 */
export const AUTO_PAUSE_SET = `
  is_active = CASE WHEN s.paused THEN false ELSE jobs.is_active END,
  next_run_at = CASE WHEN s.paused THEN NULL ELSE jobs.next_run_at END`;
