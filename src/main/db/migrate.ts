import type { Database } from 'better-sqlite3'
import { WorkbenchError } from '../../shared/errors'
import { MIGRATIONS, type Migration } from './migrations'

/** Brings the schema up to date in one transaction; refuses a database written by a newer workbench. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    throw new WorkbenchError(
      'database_too_new',
      `The catalogue ${file} was written by a newer Affect Workbench (schema ${current}; this version knows ${migrations.length}). Update the workbench to open it.`,
      { file, schema: current, supported: migrations.length },
    )
  }
  if (current === migrations.length) return current
  db.transaction(() => {
    for (let v = current; v < migrations.length; v++) {
      db.exec(migrations[v].sql)
      migrations[v].step?.(db, file)
    }
    db.pragma(`user_version = ${migrations.length}`)
  })()
  return migrations.length
}
