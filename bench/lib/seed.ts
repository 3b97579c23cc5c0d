import type pg from 'pg';

/** The uuid of seeded job number g (1-based): deterministic, so pgbench can address it. */
export const JOB_ID_SQL = (g: string): string =>
  `('00000000000040008' || lpad(to_hex(${g}), 15, '0'))::uuid`;

export function jobId(n: number): string {
  const hex = `00000000000040008${n.toString(16).padStart(15, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface SeedSpec {
  /** SQL expressions over the series variable `g` (1..count). */
  cron?: string;
  nextRunAt?: string;
  target?: string;
  jobType?: string;
  isActive?: string;
  payload?: string;
  timezone?: string;
  misfirePolicy?: 'fire_once' | 'skip' | 'fire_all';
  /** Offset of g, so several seeds can be appended. */
  first?: number;
}

const WORDS = [
  'billing',
  'report',
  'sync',
  'cleanup',
  'backup',
  'digest',
  'invoice',
  'export',
  'import',
  'reminder',
  'audit',
  'metrics',
];
/** Tags the seeded jobs carry; the api benchmark filters by them. */
export const TAGS = [
  'prod',
  'staging',
  'daily',
  'hourly',
  'etl',
  'email',
  'finance',
  'ops',
  'batch',
  'io',
];

/**
 * Inserts `count` jobs in one INSERT … SELECT generate_series. Triggers (change NOTIFY) are off
 * for the load: seeding happens before any app listens, and the rows are what a real API would
 * write (names and descriptions with searchable words, 1-3 tags, creation times spread).
 */
export async function seedJobs(
  c: pg.ClientBase,
  count: number,
  spec: SeedSpec = {},
): Promise<void> {
  const first = spec.first ?? 1;
  const words = `ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}]`;
  const tags = `ARRAY[${TAGS.map((t) => `'${t}'`).join(',')}]`;
  await c.query(`SET session_replication_role = replica`);
  try {
    await c.query(`
      INSERT INTO jobs (id, name, description, cron_expression, is_active, job_type, payload,
                        timezone, target, next_run_at, created_at, tags, misfire_policy)
      SELECT ${JOB_ID_SQL('g')},
             'job ' || g || ' ' || (${words})[1 + g % ${WORDS.length}],
             'nightly ' || (${words})[1 + (g / 7) % ${WORDS.length}] || ' for tenant ' || (g % 997),
             ${spec.cron ?? `'0 0 * * * *'`},
             ${spec.isActive ?? 'true'},
             ${spec.jobType ?? `'scheduled'`},
             ${spec.payload ?? `jsonb_build_object('n', g)`},
             ${spec.timezone ?? `'UTC'`},
             ${spec.target ?? `'{"type":"handler","name":"log"}'::jsonb`},
             ${spec.nextRunAt ?? 'NULL'},
             now() - make_interval(secs => g),
             (${tags})[1 + g % ${TAGS.length}:1 + g % ${TAGS.length} + g % 3],
             '${spec.misfirePolicy ?? 'fire_once'}'
      FROM generate_series(${first}, ${first + count - 1}) AS g`);
  } finally {
    await c.query(`SET session_replication_role = origin`);
  }
  await c.query('ANALYZE jobs');
}

/** SQL literal of an http target pointing at `url`. */
export function httpTargetSql(url: string): string {
  return `'${JSON.stringify({ type: 'http', url, method: 'POST' })}'::jsonb`;
}
