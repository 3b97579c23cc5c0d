/** Thrown when a health check does not answer within its own deadline. */
export class CheckTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * Races `work` against a deadline so one hung dependency cannot hold a probe past the
 * Kubernetes probe timeout. The work itself is not cancelled; its late result is ignored.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(ms)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A probe body is public: say what failed, never the driver's message (hosts, ports, users). */
export function publicReason(e: unknown): string {
  return e instanceof CheckTimeoutError ? e.message : 'unreachable';
}
