import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getFreePort } from './ports.js';
import { TEST_ENV } from './test-app.js';

const ROOT = process.cwd();
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
let built = false;

/** Compiles the app once per test file (jest's global setup does not build). */
export function buildApp(): void {
  if (built && existsSync(MAIN)) {
    return;
  }
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  built = true;
}

/**
 * The real service (`node dist/src/main.js`) as a child process on the given database: a replica
 * that can be killed with SIGKILL or stopped with SIGTERM like a pod.
 */
export class ReplicaProcess {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    /** The HTTP port it serves on (127.0.0.1). */
    readonly port: number,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  static async start(dbUrl: string, env: Record<string, string>): Promise<ReplicaProcess> {
    buildApp();
    const port = await getFreePort();
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        ...TEST_ENV,
        LOG_LEVEL: 'warn',
        SCHEDULER_ENABLED: 'true',
        ...env,
        PORT: String(port),
        DB_CONNECTION_STRING: dbUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ReplicaProcess(child, port);
  }

  /** Base URL of its HTTP server. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Not exited yet. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the process wrote (for failure messages). */
  get log(): string {
    return this.output;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Kills it if still running (test cleanup). */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }
}
