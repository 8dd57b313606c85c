import type { Database, Statement } from 'better-sqlite3'

// Statements are prepared once per database and SQL text, including the few shapes that filters
// build dynamically (their number is bounded by the filter combinations a UI can make).
const caches = new WeakMap<Database, Map<string, Statement>>()

export function prepared(db: Database, sql: string): Statement {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  let statement = cache.get(sql)
  if (!statement) {
    if (cache.size > 500) cache.clear()
    cache.set(sql, (statement = db.prepare(sql)))
  }
  return statement
}
