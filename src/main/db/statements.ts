import type { Database, Statement } from 'better-sqlite3'

// Statements are prepared once per database and SQL text, including the few shapes that filters
// build dynamically (their number is bounded by the filter combinations a UI can make).
const caches = new WeakMap<Database, Map<string, Statement<unknown[], unknown>>>()
// Statements that return the first column's value instead of a row: pluck() changes a statement,
// so they have a cache of their own and never answer a caller that wants rows.
const pluckedCaches = new WeakMap<Database, Map<string, Statement<unknown[], unknown>>>()

function cached(
  all: WeakMap<Database, Map<string, Statement<unknown[], unknown>>>,
  db: Database,
  sql: string,
  make: () => Statement<unknown[], unknown>,
): Statement<unknown[], unknown> {
  let cache = all.get(db)
  if (!cache) all.set(db, (cache = new Map()))
  let statement = cache.get(sql)
  if (!statement) {
    if (cache.size > 500) cache.clear()
    cache.set(sql, (statement = make()))
  }
  return statement
}

/**
 * The statement for `sql`, its rows typed as `Row`: the table's row type (snake_case, as SQLite
 * returns it; see catalogue/catalogue-rows.ts, labels/label-rows.ts, runs/run-rows.ts) or a Pick of it.
 */
export function prepared<Row = unknown>(db: Database, sql: string): Statement<unknown[], Row> {
  return cached(caches, db, sql, () => db.prepare(sql)) as Statement<unknown[], Row>
}

/** The statement for `sql` returning the first column of each row (ids, codes, counts). */
export function plucked<Value>(db: Database, sql: string): Statement<unknown[], Value> {
  return cached(pluckedCaches, db, sql, () => db.prepare(sql).pluck()) as Statement<unknown[], Value>
}

/** The one value of a query that always returns one row of one column (`SELECT count(*) ...`). */
export function scalar<Value>(db: Database, sql: string, ...params: unknown[]): Value {
  return plucked<Value>(db, sql).get(...params) as Value
}
