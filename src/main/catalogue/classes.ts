import type { Database } from 'better-sqlite3'
import type { LabelClass } from '../../shared/labels'
import { WorkbenchError } from '../../shared/errors'
import { labelClassOf, type ClassRow } from './catalogue-rows'

/** The classes table, read once per database: codes <-> ids for every query that speaks codes. */
export class ClassIndex {
  readonly list: LabelClass[]
  private readonly byCode = new Map<string, number>()
  private readonly byId = new Map<number, string>()

  constructor(db: Database) {
    const rows = db
      .prepare<[], Omit<ClassRow, 'position'>>(
        'SELECT id, code, kind, name, description, au_number FROM classes ORDER BY position',
      )
      .all()
    this.list = rows.map(labelClassOf)
    for (const r of rows) {
      this.byCode.set(r.code, r.id)
      this.byId.set(r.id, r.code)
    }
  }

  has(code: string): boolean {
    return this.byCode.has(code)
  }

  /** Class id for a code, or an error naming the field that held it. */
  id(code: string, field = 'code'): number {
    const id = this.byCode.get(code)
    if (id === undefined)
      throw new WorkbenchError(
        'invalid_arguments',
        `Unknown class "${code}" in ${field}: use a code such as happy, AU12 or happily_surprised.`,
        { field, code },
      )
    return id
  }

  code(id: number): string {
    const code = this.byId.get(id)
    if (code === undefined) throw new Error(`class id ${id} is not in the classes table`)
    return code
  }
}

const indexes = new WeakMap<Database, ClassIndex>()

export function classIndex(db: Database): ClassIndex {
  let index = indexes.get(db)
  if (!index) indexes.set(db, (index = new ClassIndex(db)))
  return index
}
