import type { Database } from 'better-sqlite3'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { WorkspaceInfo } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { recoverInterruptedEdits } from '../catalogue/edit-rollback'
import { openCatalogue } from '../db/open'
import { seedClasses } from './seed-classes'

const MARKER = 'workspace.json'

/** A workspace is a folder: the catalogue database, the thumbnail cache, media written by the workbench, and runs. */
export class Workspace {
  readonly db: Database
  readonly catalogueFile: string
  readonly thumbnailsDir: string
  readonly mediaDir: string
  readonly runsDir: string

  private constructor(readonly path: string) {
    this.catalogueFile = join(path, 'catalogue.sqlite')
    this.thumbnailsDir = join(path, 'thumbnails')
    this.mediaDir = join(path, 'media')
    this.runsDir = join(path, 'runs')
    for (const dir of [this.thumbnailsDir, this.mediaDir, this.runsDir]) mkdirSync(dir, { recursive: true })
    this.db = openCatalogue(this.catalogueFile)
    seedClasses(this.db)
    // A label edit that a killed process left half-written is taken back before anyone reads it.
    recoverInterruptedEdits(this.db)
  }

  static isWorkspace(path: string): boolean {
    return existsSync(join(path, MARKER))
  }

  /** Creates a workspace in an empty or missing folder. */
  static create(path: string): Workspace {
    const dir = resolve(path)
    if (Workspace.isWorkspace(dir)) throw new WorkbenchError('workspace_exists', `${dir} is already a workspace: open it instead.`, { path: dir })
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new WorkbenchError('invalid_arguments', `${dir} is a file, not a folder.`, { path: dir })
      if (readdirSync(dir).length > 0) throw new WorkbenchError('invalid_arguments', `${dir} is not empty: choose an empty or new folder for the workspace.`, { path: dir })
    }
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, MARKER), JSON.stringify({ kind: 'affect-workbench-workspace', version: 1, createdAt: new Date().toISOString() }, null, 2))
    return new Workspace(dir)
  }

  static open(path: string): Workspace {
    const dir = resolve(path)
    if (!Workspace.isWorkspace(dir)) {
      throw new WorkbenchError('workspace_not_found', `${dir} is not an Affect Workbench workspace (no ${MARKER}). Create one there, or pick another folder.`, { path: dir })
    }
    JSON.parse(readFileSync(join(dir, MARKER), 'utf8'))
    return new Workspace(dir)
  }

  static openOrCreate(path: string): Workspace {
    return Workspace.isWorkspace(path) ? Workspace.open(path) : Workspace.create(path)
  }

  info(): WorkspaceInfo {
    const counts = this.db.prepare('SELECT (SELECT count(*) FROM datasets) AS datasets, (SELECT count(*) FROM images) AS images').get() as { datasets: number; images: number }
    return { path: this.path, name: basename(this.path), ...counts }
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
