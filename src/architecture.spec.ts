import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The boundaries ARCHITECTURE.md states, checked on the source: imports point down, and SQL
 * naming a table appears only in its owner or in a place ARCHITECTURE.md lists.
 */

const SRC = resolve('src');

/** Which modules each module may import (ARCHITECTURE.md, "Modules"). */
const MAY_IMPORT: Record<string, string[]> = {
  core: ['config'],
  config: ['core'],
  audit: ['core', 'config'],
  idempotency: ['core', 'config'],
  auth: ['core', 'config', 'audit'],
  calendars: ['core', 'config', 'auth', 'audit'],
  executions: ['core', 'config', 'auth', 'audit', 'idempotency'],
  jobs: ['core', 'config', 'auth', 'executions', 'calendars', 'audit', 'idempotency'],
  scheduler: ['core', 'config', 'jobs', 'executions', 'calendars', 'audit'],
  health: ['core', 'config', 'auth', 'jobs', 'executions'],
  metrics: ['core', 'config', 'auth', 'jobs', 'executions'],
  alerts: ['core', 'config', 'auth', 'audit', 'idempotency', 'jobs', 'executions'],
  events: ['core', 'config', 'auth'],
};

/** Owner module of each table (ARCHITECTURE.md, "Tables and who writes them"). */
const OWNER: Record<string, string> = {
  jobs: 'jobs',
  job_list_generation: 'jobs',
  job_executions: 'executions',
  job_pending_runs: 'executions',
  scheduler_replicas: 'scheduler',
  users: 'auth',
  calendars: 'calendars',
  job_calendars: 'calendars',
  job_backfills: 'executions',
  execution_replays: 'executions',
  notification_channels: 'alerts',
  notifications: 'alerts',
  notification_attempts: 'alerts',
  job_alert_state: 'alerts',
  api_keys: 'auth',
  audit_log: 'audit',
  idempotency_keys: 'idempotency',
};

/** Files outside a table's owner that may name it, each listed in ARCHITECTURE.md. */
const DOCUMENTED: Record<string, string[]> = {
  'scheduler/firing/claim-sql.ts': ['jobs', 'job_executions', 'job_pending_runs'],
  'scheduler/firing/slot-claim.repository.ts': ['jobs'],
  'executions/execution-ledger.repository.ts': ['jobs', 'scheduler_replicas'],
  'executions/run-claims.repository.ts': ['jobs'],
  'executions/claim-locks.ts': ['jobs'],
  'calendars/calendars.repository.ts': ['jobs'],
  'executions/backfills.repository.ts': ['jobs'],
  'executions/activity.repository.ts': ['job_list_generation'],
  'executions/outcome-events.sql.ts': ['notifications', 'notification_channels'],
  'alerts/channels/channels.repository.ts': ['jobs'],
  'alerts/watch/alert-watch.repository.ts': ['jobs'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      return sources(path);
    }
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The module folder of a path under src/ (null for src/*.ts and for anything outside src/). */
const moduleOf = (path: string): string | null => {
  const rel = relative(SRC, path);
  return rel.includes('/') && !rel.startsWith('..') ? rel.split('/')[0] : null;
};

const FILES = sources(SRC).map((path) => ({
  path,
  rel: relative(SRC, path),
  module: moduleOf(path),
  text: readFileSync(path, 'utf8'),
}));

describe('architecture (ARCHITECTURE.md)', () => {
  it('knows every module folder', () => {
    const modules = new Set(FILES.map((f) => f.module).filter((m) => m !== null));
    expect([...modules].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it('has imports that point down only (core imports no feature module)', () => {
    const wrong: string[] = [];
    for (const f of FILES) {
      if (f.module === null) {
        continue; // main.ts, app.module.ts, app.setup.ts wire everything
      }
      for (const [, spec] of f.text.matchAll(/from '(\.[^']+)'/g)) {
        const target = moduleOf(resolve(dirname(f.path), spec));
        if (target && target !== f.module && !MAY_IMPORT[f.module].includes(target)) {
          wrong.push(`${f.rel} imports ${spec} (${f.module} -> ${target})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names a table in SQL only in its owner or where ARCHITECTURE.md says', () => {
    // Every table in OWNER, longest first so `jobs` never shadows `jobs_…`.
    const tables = Object.keys(OWNER).sort((a, b) => b.length - a.length);
    const sql = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+(${tables.join('|')})\\b`, 'g');
    const wrong: string[] = [];
    for (const f of FILES) {
      for (const [, table] of f.text.matchAll(sql)) {
        if (f.module !== OWNER[table] && !DOCUMENTED[f.rel]?.includes(table)) {
          wrong.push(`${f.rel} names ${table} (owner: ${OWNER[table]})`);
        }
      }
    }
    expect([...new Set(wrong)]).toEqual([]);
  });

  it('lists every documented exception in ARCHITECTURE.md, and each is still used', () => {
    const doc = readFileSync(resolve('ARCHITECTURE.md'), 'utf8');
    for (const [rel, tables] of Object.entries(DOCUMENTED)) {
      expect({ rel, documented: doc.includes(rel.split('/').slice(1).join('/')) }).toEqual({
        rel,
        documented: true,
      });
      const file = FILES.find((f) => f.rel === rel);
      expect({ rel, exists: file !== undefined }).toEqual({ rel, exists: true });
      for (const table of tables) {
        expect({ rel, table, named: new RegExp(`\\b${table}\\b`).test(file?.text ?? '') }).toEqual({
          rel,
          table,
          named: true,
        });
      }
    }
  });
});
