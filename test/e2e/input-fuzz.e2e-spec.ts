import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { authed, createUser, adminToken } from '../support/auth.js';
import { apiRoutes, concretePath } from '../support/routes.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * A write route under fuzz: the table it writes, and the field names its body knows, so the
 * generator mixes plausible keys with garbage. Add `/api/jobs` (table `jobs`) here with the job
 * fields once the jobs routes exist.
 */
interface FuzzRoute {
  method: 'post' | 'put';
  path: (ctx: { viewerId: string }) => string;
  table: string;
  fields: string[];
  /** Whether a valid body may create a row (login never does). */
  creates: boolean;
  /** Fields of a valid body; random values are laid over it. */
  base?: Record<string, unknown>;
}

const ROUTES: FuzzRoute[] = [
  {
    method: 'post',
    path: () => '/api/auth/login',
    table: 'users',
    fields: ['username', 'password'],
    creates: false,
  },
  {
    method: 'post',
    path: () => '/api/users',
    table: 'users',
    fields: ['username', 'password', 'role'],
    creates: true,
  },
  {
    method: 'put',
    path: ({ viewerId }) => `/api/users/${viewerId}`,
    table: 'users',
    fields: ['password', 'role'],
    creates: false,
  },
  {
    method: 'post',
    path: () => '/api/jobs',
    table: 'jobs',
    fields: [
      'name',
      'description',
      'cronExpression',
      'jobType',
      'isActive',
      'payload',
      'timezone',
      'intervalMs',
      'runAt',
      'target',
      'timeoutMs',
      'maxRetries',
      'tags',
    ],
    creates: true,
    base: { name: 'fuzzed', cronExpression: '0 * * * *' },
  },
];

const SQL_AND_FRIENDS = [
  `'`,
  `"`,
  `\\`,
  `' OR '1'='1`,
  `'; DROP TABLE users; --`,
  `%_%`,
  `$1`,
  '\u0000',
  'a\u0000b',
  '🙂',
  '',
  ' ',
  'admin',
  'viewer',
  'correct-horse-battery',
];

const str = fc.oneof(
  fc.string(),
  fc.constantFrom(...SQL_AND_FRIENDS),
  fc.string({ unit: 'binary' }),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  str,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(str, { maxLength: 3 }),
  fc.dictionary(str, str, { maxKeys: 3 }),
  fc.anything({ maxDepth: 4 }),
);

/** JSON bodies: plausible records, random objects, and any JSON at all (arrays, scalars). */
function bodies(
  fields: string[],
  base: Record<string, unknown> = {},
): fc.Arbitrary<{ raw: string }> {
  const record = fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] });
  const json = fc.oneof(
    record,
    // A valid body with a few fields replaced, so some requests pass and must write one row.
    record.map((v) => ({ ...base, ...v })),
    fc.dictionary(fc.oneof(fc.constantFrom(...fields), str), value, { maxKeys: 5 }),
    fc.anything({ maxDepth: 5 }),
  );
  const raw = fc.oneof(
    json.map((v) => JSON.stringify(v) ?? 'null'),
    fc.string(),
    fc.constantFrom('{', '{"username":', '[1,2', 'null', '"x"', '{"role":"admin"}}'),
  );
  return raw.map((r) => ({ raw: r }));
}

describe('random and malformed bodies on write routes', () => {
  let t: TestApp;
  let token: string;
  let viewerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = await adminToken(t.app);
    viewerId = (await createUser(t.app, 'viewer')).id;
  });

  afterAll(async () => {
    await t.close();
  });

  const rows = async (table: string) =>
    Number((await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it.each(
    ROUTES.map((r): [string, FuzzRoute] => [
      `${r.method.toUpperCase()} ${r.path({ viewerId: ':id' })}`,
      r,
    ]),
  )('%s never answers 5xx and writes nothing when it rejects', async (_name, route) => {
    const path = route.path({ viewerId });
    await fc.assert(
      fc.asyncProperty(bodies(route.fields, route.base), async ({ raw }) => {
        const before = await rows(route.table);
        const http = authed(request(t.app.getHttpServer()), token);
        const res = await (route.method === 'post' ? http.post(path) : http.put(path))
          .set('Content-Type', 'application/json')
          .send(raw);
        const after = await rows(route.table);
        expect(res.status).toBeLessThan(500);
        expect(res.body.success).toBe(res.status < 400);
        if (res.status >= 400 || !route.creates) {
          expect(after).toBe(before);
        } else {
          expect(after).toBe(before + 1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('answers every GET route under /api without 5xx, whatever the query string holds', async () => {
    const reads = apiRoutes(t.app).filter((r) => r.method === 'GET');
    expect(reads.length).toBeGreaterThan(0);
    const names = [
      'page',
      'limit',
      'search',
      'jobType',
      'isActive',
      'tags',
      'status',
      'from',
      'to',
    ];
    const query = fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string()), str, {
      maxKeys: 4,
    });
    for (const route of reads) {
      await fc.assert(
        fc.asyncProperty(query, async (q) => {
          const before = await rows('users');
          const res = await authed(request(t.app.getHttpServer()), token)
            .get(concretePath(route.path))
            .query(q);
          expect(res.status).toBeLessThan(500);
          expect(await rows('users')).toBe(before);
        }),
        { numRuns: 40 },
      );
    }
  });
});
