import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withAdmin } from './db.js';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  date: string;
  command: string;
}

/** Cores, Node, PostgreSQL, date and the command line: printed and stored with every result. */
export async function machineFacts(): Promise<MachineFacts> {
  const version = await withAdmin(async (c) => {
    const r = await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return r.rows[0].v;
  });
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: version,
    date: new Date().toISOString(),
    command: ['node', ...process.argv.slice(1).map((a) => a.replace(process.cwd() + '/', ''))].join(
      ' ',
    ),
  };
}

/** bench/results/ in the source tree, whether running from bench/ or dist/bench/. */
export function resultsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
  return resolve(root, 'bench/results');
}

/**
 * Writes bench/results/<name>.json: the machine facts, the options, and the figures. A --quick
 * run writes <name>.quick.json instead (git-ignored), so development runs never replace the
 * measured figures BENCHMARKS.md quotes.
 */
export function writeResult(name: string, quick: boolean, body: Record<string, unknown>): string {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${name}${quick ? '.quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
