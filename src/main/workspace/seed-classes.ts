import type { Database } from 'better-sqlite3'
import { allClasses } from '../labels/label-space'

/** Brings the classes table in line with resources/labels. Codes are stable; ids never change. */
export function seedClasses(db: Database): void {
  const upsert = db.prepare(`
    INSERT INTO classes (code, kind, name, description, au_number, position)
    VALUES (@code, @kind, @name, @description, @auNumber, @position)
    ON CONFLICT (code) DO UPDATE SET name = excluded.name, description = excluded.description,
      kind = excluded.kind, au_number = excluded.au_number, position = excluded.position`)
  db.transaction(() => {
    allClasses().forEach((c, position) => upsert.run({ ...c, auNumber: c.auNumber ?? null, position }))
  })()
}
