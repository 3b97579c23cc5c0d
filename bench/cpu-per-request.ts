import { readFileSync } from 'node:fs';
import { login, MAIN_JS, startApp, waitReady } from './lib/app-process.js';
import { intOption, main, parseOptions } from './lib/cli.js';
import { createScratchDatabase, withClient } from './lib/db.js';
import { jobId, seedJobs } from './lib/seed.js';

/**
 * cpu-per-request: the app's own CPU time (utime + stime from /proc, which other load on the
 * machine cannot distort) per request, for each request kind, on a scratch database seeded with
 * `--jobs` jobs as `bench:api` seeds them (the scheduler off: only the API is measured). For A/B
 * of a change: run it with BENCH_APP_MAIN pointing at each build, alternately. Not a throughput
 * figure; `npm run bench:build && node dist/bench/cpu-per-request.js --jobs 10000`.
 */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(f[11]) + Number(f[12]);
  return ticks * 10; // USER_HZ = 100
}

main(async () => {
  const opts = parseOptions({ requests: { type: 'string' }, jobs: { type: 'string' } });
  const n = intOption(opts.values.requests, 2000);
  const jobs = intOption(opts.values.jobs, 10_000);
  const db = await createScratchDatabase(`cpu${jobs}`);
  await withClient(db.url, (c) =>
    seedJobs(c, jobs, {
      cron: `'0 0 0 1 1 *'`,
      nextRunAt: `date_trunc('year', now()) + interval '1 year'`,
    }),
  );
  const app = await startApp(db.url, { SCHEDULER_ENABLED: 'false' });
  await waitReady(app);
  const token = await login(app.baseUrl);
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    // As autocannon: no compression asked for.
    'accept-encoding': 'identity',
  };
  let posted = 0;
  const kinds: Record<string, () => Promise<Response>> = {
    list: () => fetch(`${app.baseUrl}/api/jobs?page=1&limit=10`, { headers }),
    search: () =>
      fetch(
        `${app.baseUrl}/api/jobs?page=1&limit=10&search=tenant%20${100 + Math.floor(Math.random() * 897)}`,
        { headers },
      ),
    get: () =>
      fetch(`${app.baseUrl}/api/jobs/${jobId(1 + Math.floor(Math.random() * jobs))}`, { headers }),
    create: () =>
      fetch(`${app.baseUrl}/api/jobs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: `cpu post ${++posted}`,
          cronExpression: '0 0 0 1 1 *',
          timezone: 'UTC',
          createdBy: 'bench-post',
        }),
      }),
    health: () => fetch(`${app.baseUrl}/health`, { headers }),
  };
  const pid = app.child.pid as number;
  try {
    for (const [name, call] of Object.entries(kinds)) {
      for (let i = 0; i < 200; i++) {
        await (await call()).arrayBuffer();
      }
      const before = cpuMs(pid);
      let left = n;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (left-- > 0) {
            const r = await call();
            await r.arrayBuffer();
            if (r.status >= 300) {
              throw new Error(`${name}: ${r.status}`);
            }
          }
        }),
      );
      console.log(
        `${name}: ${((cpuMs(pid) - before) / n).toFixed(2)} ms CPU per request (${MAIN_JS})`,
      );
    }
  } finally {
    await app.stop();
    await db.drop();
  }
});
