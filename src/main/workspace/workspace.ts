import type { Database } from 'better-sqlite3'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { WorkspaceInfo } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { recoverInterruptedEdits } from '../labels/edit-rollback'
import { openCatalogue } from '../db/open'
import { seedClasses } from './seed-classes'
import { ServerLock, type ServerIdentity } from './server-lock'
import { fromStoredPath, toStoredPath } from './stored-paths'
import { checkWorkspaceFolder, makeFolders } from './workspace-folder'

const MARKER = 'workspace.json'

/** How a workspace is opened: by a server (the app, `affect serve`), which holds it alone, or by a CLI command (null). */
export interface OpenOptions {
  server?: ServerIdentity | null
}

/** A workspace is a folder: the catalogue database, the thumbnail cache, media written by the workbench, and runs. */
export class Workspace {
  readonly db: Database
  readonly catalogueFile: string
  readonly thumbnailsDir: string
  /** Aligned face crops, named by the hash of their bytes (import/faces/crop-cache.ts). */
  readonly cropsDir: string
  /** Video frames small, one file per video, for scrubbing (video/proxy-frames.ts); made when first needed. */
  readonly proxiesDir: string
  readonly mediaDir: string
  readonly runsDir: string
  /** The server lock when a server opened this workspace; null for CLI commands. */
  readonly lock: ServerLock | null

  private constructor(
    readonly path: string,
    options: OpenOptions,
  ) {
    this.catalogueFile = join(path, 'catalogue.sqlite')
    this.thumbnailsDir = join(path, 'thumbnails')
    this.cropsDir = join(path, 'crops')
    this.proxiesDir = join(path, 'video-proxies')
    this.mediaDir = join(path, 'media')
    this.runsDir = join(path, 'runs')
    this.lock = options.server ? ServerLock.acquire(path, options.server) : null
    try {
      for (const dir of [this.thumbnailsDir, this.cropsDir, this.mediaDir, this.runsDir])
        mkdirSync(dir, { recursive: true })
      this.db = openCatalogue(this.catalogueFile)
      seedClasses(this.db)
      // A label edit that a killed process left half-written is taken back before anyone reads it.
      recoverInterruptedEdits(this.db)
    } catch (e) {
      this.lock?.release()
      throw e
    }
  }

  static isWorkspace(path: string): boolean {
    return existsSync(join(path, MARKER))
  }

  /** Creates a workspace in an empty or missing folder. */
  static create(path: string, options: OpenOptions = {}): Workspace {
    const dir = checkWorkspaceFolder(path)
    if (Workspace.isWorkspace(dir))
      throw new WorkbenchError('workspace_exists', `${dir} is already a workspace: open it instead.`, { path: dir })
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory())
        throw new WorkbenchError('invalid_arguments', `${dir} is a file, not a folder.`, { path: dir })
      if (readdirSync(dir).length > 0)
        throw new WorkbenchError(
          'invalid_arguments',
          `${dir} is not empty: choose an empty or new folder for the workspace.`,
          { path: dir },
        )
    }
    makeFolders(dir)
    writeFileSync(
      join(dir, MARKER),
      JSON.stringify({ kind: 'affect-workbench-workspace', version: 1, createdAt: new Date().toISOString() }, null, 2),
    )
    return new Workspace(dir, options)
  }

  static open(path: string, options: OpenOptions = {}): Workspace {
    const dir = checkWorkspaceFolder(path)
    if (!Workspace.isWorkspace(dir)) {
      throw new WorkbenchError(
        'workspace_not_found',
        `${dir} is not an Affect Workbench workspace (no ${MARKER}). Create one there, or pick another folder.`,
        { path: dir },
      )
    }
    try {
      JSON.parse(readFileSync(join(dir, MARKER), 'utf8'))
    } catch (e) {
      throw new WorkbenchError(
        'invalid_arguments',
        `${join(dir, MARKER)} is damaged (${(e as Error).message}): it should hold the workspace's description in JSON.`,
        { path: dir, file: join(dir, MARKER) },
      )
    }
    return new Workspace(dir, options)
  }

  static openOrCreate(path: string, options: OpenOptions = {}): Workspace {
    return Workspace.isWorkspace(path) ? Workspace.open(path, options) : Workspace.create(path, options)
  }

  /** The file a stored path names (stored-paths.ts): relative ones are inside this folder, wherever it is now. */
  file(stored: string): string {
    return fromStoredPath(this.path, stored)
  }

  /** The form in which the catalogue keeps a path: relative when inside this workspace, else absolute. */
  stored(file: string): string {
    return toStoredPath(this.path, file)
  }

  info(): WorkspaceInfo {
    const counts = this.db
      .prepare<[], Pick<WorkspaceInfo, 'datasets' | 'images'>>(
        'SELECT (SELECT count(*) FROM datasets) AS datasets, (SELECT count(*) FROM images) AS images',
      )
      .get()!
    return { path: this.path, name: basename(this.path), ...counts }
  }

  close(): void {
    if (this.db.open) this.db.close()
    this.lock?.release()
  }
}
