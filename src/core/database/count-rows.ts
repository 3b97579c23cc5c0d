import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * `count(*)` of a single-table query's rows. TypeORM's getCount() counts DISTINCT primary keys
 * (it guards against joins duplicating rows), which hashes or sorts every matching row; without
 * joins the plain count is the same number and lets PostgreSQL use an index-only scan.
 */
export async function countRows<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
): Promise<number> {
  const row = await qb.clone().select('count(*)::int', 'total').getRawOne<{ total: number }>();
  return row?.total ?? 0;
}
