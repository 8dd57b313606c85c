import type { Database } from 'better-sqlite3'
import { WorkbenchError } from '../../shared/errors'
import type { DatasetRow } from '../catalogue/catalogue-rows'
import { prepared } from '../db/statements'

/** Dataset ids for the names an export was asked for (undefined = every dataset); an unknown name is an error naming it. */
export function datasetIdsByName(db: Database, names: string[] | undefined): number[] | undefined {
  if (!names?.length) return undefined
  const all = prepared<Pick<DatasetRow, 'id' | 'name'>>(db, 'SELECT id, name FROM datasets ORDER BY name').all()
  return names.map((name) => {
    const found = all.find((d) => d.name === name)
    if (!found)
      throw new WorkbenchError(
        'invalid_arguments',
        `datasets: no dataset named "${name}" in this workspace (there are: ${all.map((d) => d.name).join(', ') || 'none'}).`,
        { field: 'datasets', name },
      )
    return found.id
  })
}

/** `AND <column> IN (?, ?...)` for the chosen datasets, or nothing. */
export const inDatasets = (column: string, ids: number[] | undefined): string =>
  ids ? ` AND ${column} IN (${ids.map(() => '?').join(',')})` : ''
