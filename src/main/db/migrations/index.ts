import catalogue from './0001-catalogue'
import runs from './0002-runs'
import filterCounts from './0003-filter-counts'
import labelRulesAndPaging from './0005-label-rules-and-paging'

/** Migrations in order; migration i brings the schema to user_version i + 1. Never edit a shipped one. */
export const MIGRATIONS: readonly { name: string; sql: string }[] = [
  { name: '0001-catalogue', sql: catalogue },
  { name: '0002-runs', sql: runs },
  { name: '0003-filter-counts', sql: filterCounts },
  // 0004 (runs: relative paths, merged predictions) is written on another branch; it goes before this one.
  { name: '0005-label-rules-and-paging', sql: labelRulesAndPaging },
]
