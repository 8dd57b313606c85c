import type { Database } from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import type { LandmarksFile } from '../demo/dataset-files'

// The demo generator knows where it drew every face's 68 landmarks (demo/face-landmarks.ts): they
// are stored with the faces, in images.face_landmarks as the face finder's are ([[x, y], ...] in
// pixels of the image), so a run with landmarks can learn them. The CSV importer does not read
// them: they are written once the dataset is imported. Returns how many faces got theirs.
export function storeDemoLandmarks(db: Database, dataset: string, file: string): number {
  const content = JSON.parse(readFileSync(file, 'utf8')) as LandmarksFile
  const update = db.prepare(
    `UPDATE images SET face_landmarks = ? WHERE path = ? AND face_origin = 'whole'
       AND dataset_id = (SELECT id FROM datasets WHERE name = ?)`,
  )
  return db.transaction(() => {
    let stored = 0
    for (const [path, points] of Object.entries(content.faces)) {
      if (points.length !== 68) throw new Error(`${file}: ${path} has ${points.length} landmarks, expected 68`)
      stored += update.run(JSON.stringify(points), path, dataset).changes
    }
    return stored
  })()
}
