import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { SnapshotFolders } from '../../../shared/trainer-protocol'

// Where the trainer reads a snapshot's image: snapshots keep the paths of images inside the
// workspace relative to it ('/'-separated), so the trainer needs the workspace's folder as it is
// now. Snapshots written by version 0.1.0 hold absolute paths of the folder the workspace was in
// then (`snapshotWorkspace`): those are read from the same place inside the current folder.

/** A function from a snapshot's image path to the file to read. */
export function imageLocator(folders: SnapshotFolders): (path: string) => string {
  const { workspace, snapshotWorkspace } = folders
  const moved =
    workspace !== undefined && snapshotWorkspace !== undefined && resolve(snapshotWorkspace) !== resolve(workspace)
  return (path) => {
    if (!isAbsolute(path)) {
      if (workspace === undefined)
        throw new Error(
          `the snapshot's image path ${path} is relative to the workspace, but the trainer was not told the workspace's folder`,
        )
      return join(workspace, ...path.split('/'))
    }
    if (!moved) return path
    const inside = relative(snapshotWorkspace!, path)
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return path
    return join(workspace!, inside)
  }
}
