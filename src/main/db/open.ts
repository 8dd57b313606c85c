import Database from 'better-sqlite3'
import { migrate } from './migrate'

// better-sqlite3 is not N-API: Electron's Node needs its own build of the addon. The Electron glue
// points us at it; plain Node (CLI, headless, tests) uses the default one.
let nativeBinding: string | undefined
export function useNativeBinding(path: string | undefined): void {
  nativeBinding = path
}

/**
 * Every transaction of the catalogue writes, so it takes the write lock as it begins (BEGIN
 * IMMEDIATE), waiting up to busy_timeout for another connection (a CLI command beside the app).
 * A plain BEGIN reads first and asks for the write lock later; if another connection committed in
 * between, SQLite refuses that upgrade at once with "database is locked", without waiting: that was
 * the 5% of label edits refused while two workbenches shared a workspace. Nested calls still use
 * savepoints.
 */
function writeTransactions(db: Database.Database): void {
  const transaction = db.transaction.bind(db)
  db.transaction = ((fn: Parameters<typeof transaction>[0]) => transaction(fn).immediate) as typeof transaction
}

/** Opens (creating if needed) a catalogue file with the workbench's settings and an up-to-date schema. */
export function openCatalogue(file: string, options: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    nativeBinding,
    fileMustExist: options.readonly ?? false,
  })
  try {
    db.pragma('busy_timeout = 5000')
    db.pragma('foreign_keys = ON')
    if (!options.readonly) {
      db.pragma('journal_mode = WAL')
      // NORMAL in WAL mode survives a process kill (not a power cut) and keeps edits fast.
      db.pragma('synchronous = NORMAL')
      writeTransactions(db)
      migrate(db, file)
    }
    return db
  } catch (e) {
    db.close()
    throw e
  }
}
