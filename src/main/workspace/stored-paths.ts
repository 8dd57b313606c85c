import type { Database } from 'better-sqlite3'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

// Paths the catalogue keeps (dataset roots, a run's snapshot and checkpoints) are stored relative to
// the workspace when the file lies inside it, so that a copied or moved workspace still finds its
// own files; a path outside it (a dataset on another disk) stays absolute. Relative paths are kept
// with '/' whatever the platform, so a workspace also moves between systems.

/** The stored form of a file: relative to `workspace` ('/'-separated) when inside it, else absolute. */
export function toStoredPath(workspace: string, file: string): string {
  const absolute = resolve(workspace, file)
  const inside = relative(resolve(workspace), absolute)
  if (inside === '') return '.'
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return absolute
  return inside.split(sep).join('/')
}

/** The file a stored path names, for a workspace that is now at `workspace`. */
export function fromStoredPath(workspace: string, stored: string): string {
  if (isAbsolute(stored)) return stored
  return join(resolve(workspace), ...stored.split('/'))
}

/** The workspace folder of a catalogue: its file sits at the top of the workspace (workspace.ts). */
export const workspaceOfCatalogue = (db: Database): string => dirname(resolve(db.name))

/** toStoredPath for the workspace that holds this catalogue. */
export const storedPath = (db: Database, file: string): string => toStoredPath(workspaceOfCatalogue(db), file)

/** fromStoredPath for the workspace that holds this catalogue. */
export const filePath = (db: Database, stored: string): string => fromStoredPath(workspaceOfCatalogue(db), stored)
