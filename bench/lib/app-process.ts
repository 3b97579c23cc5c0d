import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pollUntil } from './cli.js';
import type { ProbeReply } from './probe.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/ when running compiled (dist/bench/lib -> dist). */
const distRoot = resolve(here, '../..');
/** The service's entry point; BENCH_APP_MAIN points the harness at another build of it. */
export const MAIN_JS = process.env.BENCH_APP_MAIN ?? resolve(distRoot, 'src/main.js');
const PROBE_JS = resolve(here, 'probe.js');

export const BENCH_ADMIN = { username: 'bench-admin', password: 'bench-admin-password' };

export function getFreePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => res(port));
    });
  });
}

/** True once the engine has landed (its module is compiled beside main.js), or when BENCH_APP_MAIN names an entry. */
export function engineAvailable(): boolean {
  return (
    process.env.BENCH_APP_MAIN !== undefined ||
    existsSync(resolve(MAIN_JS, '../scheduler/scheduler.module.js'))
  );
}

export interface AppProcess {
  baseUrl: string;
  child: ChildProcess;
  /** performance.now() when the process was spawned. */
  spawnedAt: number;
  probe(gc?: boolean): Promise<ProbeReply>;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/src/main.js` as the production service would run (NODE_ENV=production, real
 * PostgreSQL, scheduler on, warn-level logs, throttling relaxed), with the probe preloaded.
 */
export async function startApp(
  dbUrl: string,
  env: Record<string, string> = {},
  main = MAIN_JS,
): Promise<AppProcess> {
  if (!existsSync(main)) {
    throw new Error(`${main} missing: run the bench build first`);
  }
  const port = await getFreePort();
  const child = fork(main, [], {
    // BENCH_APP_NODE_ARGS adds node flags to the app, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    execArgv: [
      '--expose-gc',
      '--import',
      pathToFileURL(PROBE_JS).href,
      ...(process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      DB_CONNECTION_STRING: dbUrl,
      SCHEDULER_ENABLED: 'true',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-not-for-production-use',
      ADMIN_USERNAME: BENCH_ADMIN.username,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
      THROTTLE_LIMIT: '1000000000',
      THROTTLE_TRIGGER_LIMIT: '1000000000',
      THROTTLE_USER_LIMIT: '1000000000',
      ...env,
    },
  });
  const spawnedAt = performance.now();
  let seq = 0;
  const probe = (gc = true): Promise<ProbeReply> =>
    new Promise((res, rej) => {
      const id = ++seq;
      const timer = setTimeout(() => rej(new Error('probe timed out')), 30_000);
      const onMessage = (msg: ProbeReply): void => {
        if (msg?.type === 'probe' && msg.id === id) {
          clearTimeout(timer);
          child.off('message', onMessage);
          res(msg);
        }
      };
      child.on('message', onMessage);
      child.send({ type: 'probe', id, gc });
    });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  };
  return { baseUrl: `http://127.0.0.1:${port}`, child, spawnedAt, probe, stop };
}

/**
 * Waits until the app says it is ready: /health/ready 200 (readiness covers "scheduler
 * started"), or /health 200 on a build without the readiness probe. Returns ms since spawn.
 */
export async function waitReady(app: AppProcess, timeoutMs = 120_000): Promise<number> {
  let path = '/health/ready';
  await pollUntil(
    'the app to become ready',
    async () => {
      if (app.child.exitCode !== null) {
        throw new Error(`app exited with code ${app.child.exitCode} before becoming ready`);
      }
      try {
        const res = await fetch(app.baseUrl + path);
        if (res.status === 404 && path === '/health/ready') {
          path = '/health';
        }
        return res.status === 200;
      } catch {
        return false;
      }
    },
    timeoutMs,
    25,
  );
  return performance.now() - app.spawnedAt;
}

/** Logs in as the bench admin and returns a bearer token (the API's contract). */
export async function login(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_ADMIN),
  });
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`login failed: ${res.status} ${await res.text()}`);
  }
  const body = (await res.json()) as { data: { accessToken: string } };
  return body.data.accessToken;
}
