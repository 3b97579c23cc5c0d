import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PgbenchResult {
  transactions: number;
  tps: number;
  latencyMs: number;
}

/**
 * Runs `pgbench` (prepared statements, no vacuum, 2 threads) with a custom script for `seconds`
 * and parses its summary. pgbench ships with the PostgreSQL client package.
 */
export async function pgbench(
  url: string,
  script: string,
  opts: { clients: number; seconds: number; vars: Record<string, number> },
): Promise<PgbenchResult> {
  const args = ['-n', '-M', 'prepared', '-c', String(opts.clients), '-j', '2'];
  args.push('-T', String(opts.seconds), '-f', script);
  for (const [k, v] of Object.entries(opts.vars)) {
    args.push('-D', `${k}=${v}`);
  }
  args.push(url);
  const { stdout } = await run('pgbench', args, { maxBuffer: 1 << 20 });
  const num = (re: RegExp): number => {
    const m = re.exec(stdout);
    if (!m) {
      throw new Error(`unexpected pgbench output:\n${stdout}`);
    }
    return Number(m[1]);
  };
  return {
    transactions: num(/number of transactions actually processed: (\d+)/),
    tps: num(/tps = ([\d.]+) \(without initial connection time\)/),
    latencyMs: num(/latency average = ([\d.]+) ms/),
  };
}
