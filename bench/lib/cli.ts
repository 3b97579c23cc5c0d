import { parseArgs } from 'node:util';

export interface CommonOptions {
  quick: boolean;
  runs: number;
}

type Spec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

/**
 * Parses `--quick`, `--runs N` and the benchmark's own options. Quick mode exists for
 * development on a shared machine: small N, one run, a few seconds.
 */
export function parseOptions<S extends Spec>(
  spec: S,
): CommonOptions & { values: Record<keyof S, string | boolean | undefined> } {
  const parsed = parseArgs({
    options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' }, ...spec },
    allowPositionals: false,
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const quick = values.quick === true;
  const runs = values.runs === undefined ? (quick ? 1 : 3) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error('--runs must be a positive integer');
  }
  return { quick, runs, values: values as Record<keyof S, string | boolean | undefined> };
}

/** Reads an integer option (accepting 10_000 / 10,000 / 10k spellings) or its default. */
export function intOption(value: string | boolean | undefined, fallback: number): number {
  if (typeof value !== 'string') {
    return fallback;
  }
  const text = value.replace(/[_,]/g, '').toLowerCase();
  const scaled = text.endsWith('k')
    ? Number(text.slice(0, -1)) * 1e3
    : text.endsWith('m')
      ? Number(text.slice(0, -1)) * 1e6
      : Number(text);
  if (!Number.isFinite(scaled) || scaled <= 0) {
    throw new Error(`not a positive number: ${value}`);
  }
  return Math.round(scaled);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` every `everyMs` until it returns true, or throws after `timeoutMs`. */
export async function pollUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 20,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await probe())) {
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(everyMs);
  }
}

/** Runs a benchmark's main, printing a failure as one line and exiting non-zero. */
export function main(fn: () => Promise<void>): void {
  fn().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
}
