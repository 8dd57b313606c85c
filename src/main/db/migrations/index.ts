import type { Database } from 'better-sqlite3'
import catalogue from './0001-catalogue'
import runs from './0002-runs'
import filterCounts from './0003-filter-counts'
import workspacePaths, { storeRelativePaths } from './0004-workspace-paths'
import labelRulesAndPaging from './0005-label-rules-and-paging'
import facsIntensity from './0007-facs-intensity'
import video from './0010-video'
import experiments from './0009-experiments'
import coders from './0008-coders'
import faces from './0006-faces'
import videoFaces from './0011-video-faces'
import coderCodes from './0012-coder-codes'

export interface Migration {
  name: string
  sql: string
  /** What SQL alone cannot do (e.g. rewriting paths), run after `sql` in the same transaction. */
  step?: (db: Database, catalogueFile: string) => void
}

/**
 * Migrations in order; migration i brings the schema to user_version i + 1. Never edit a shipped one.
 * A file's number was given when its work began; this list's order, the order they landed in, is the
 * schema's order (nothing stores the names).
 */
export const MIGRATIONS: readonly Migration[] = [
  { name: '0001-catalogue', sql: catalogue },
  { name: '0002-runs', sql: runs },
  { name: '0003-filter-counts', sql: filterCounts },
  { name: '0004-workspace-paths', sql: workspacePaths, step: storeRelativePaths },
  { name: '0005-label-rules-and-paging', sql: labelRulesAndPaging },
  { name: '0007-facs-intensity', sql: facsIntensity },
  { name: '0010-video', sql: video },
  { name: '0009-experiments', sql: experiments },
  { name: '0008-coders', sql: coders },
  { name: '0006-faces', sql: faces },
  { name: '0011-video-faces', sql: videoFaces },
  { name: '0012-coder-codes', sql: coderCodes },
]
