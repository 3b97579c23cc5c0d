import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Figures } from './ab.js';
import { login, MAIN_JS, startApp, waitReady } from './app-process.js';
import type { Month } from './history-data.js';
import { type Endpoint, loadEndpoint } from './http-load.js';
import { jobId } from './seed.js';

/** True once the executions API is compiled into dist/ (it lands with the jobs API issue). */
export function historyApiAvailable(): boolean {
  return existsSync(resolve(MAIN_JS, '../executions/executions.module.js'));
}

function endpoints(jobs: number, months: Month[]): Endpoint[] {
  const first = months[0].from.getTime();
  const span = months[months.length - 1].to.getTime() - first - 7 * 86_400_000;
  return [
    {
      name: 'GET /api/jobs/{id}/executions',
      method: 'GET',
      path: () =>
        `/api/jobs/${jobId(1 + Math.floor(Math.random() * jobs))}/executions?page=1&limit=20`,
    },
    {
      name: 'GET /api/executions?status&from&to',
      method: 'GET',
      path: () => {
        const from = new Date(first + Math.random() * span);
        const to = new Date(from.getTime() + 7 * 86_400_000);
        const status = ['failed', 'timeout', 'completed'][Math.floor(Math.random() * 3)];
        return `/api/executions?status=${status}&from=${from.toISOString()}&to=${to.toISOString()}&page=1&limit=20`;
      },
    },
  ];
}

/**
 * The API half of `history`: the real app (scheduler off, auth on) on the loaded database,
 * autocannon at 10 connections on a job's history and the global filtered list, each after a
 * 1 s untimed warm-up.
 */
export async function measureHistoryApi(
  url: string,
  jobs: number,
  months: Month[],
  seconds: number,
): Promise<Record<string, Figures>> {
  const app = await startApp(url, { SCHEDULER_ENABLED: 'false' });
  try {
    await waitReady(app);
    const token = await login(app.baseUrl);
    const out: Record<string, Figures> = {};
    for (const ep of endpoints(jobs, months)) {
      // Untimed warm-up: fills the pool and gets its named statements past their custom plans.
      await loadEndpoint(app.baseUrl, token, ep, { connections: 10, seconds: 1 });
      out[ep.name] = await loadEndpoint(app.baseUrl, token, ep, { connections: 10, seconds });
    }
    return out;
  } finally {
    await app.stop();
  }
}
