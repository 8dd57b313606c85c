import type { MethodName } from '../../shared/contract'

// How long the app and the headless server wait for one call before answering with a timeout
// error. A safety net, not a way to stop work: synchronous SQLite work cannot be interrupted, so
// nothing may loop (paths are checked before any folder is made); the limit keeps a call that
// waits forever (a hung file system, a child that never answers) from leaving its client without
// an answer. The CLI has no limit: its user sees the command running and can stop it.

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/** Most calls read or write a few rows. */
export const DEFAULT_CALL_LIMIT_MS = MINUTE

/** Calls that are jobs: they read a whole dataset, draw faces, write a file, start a trainer. */
const JOB_LIMITS: Partial<Record<MethodName, number>> = {
  // The first call loads the training backends (CUDA takes its time to initialise).
  'app.info': 5 * MINUTE,
  // A folder picker waits for its user.
  'app.chooseFolder': HOUR,
  'import.run': 6 * HOUR,
  'demo.create': 2 * HOUR,
  'exports.create': 2 * HOUR,
  'runs.start': 30 * MINUTE,
  'runs.resume': 30 * MINUTE,
  'runs.predict': 30 * MINUTE,
  'runs.predictPhotos': 6 * HOUR,
  'runs.evaluate': 30 * MINUTE,
}

/** The time limit of one call of `method`, in milliseconds. */
export const callLimit = (method: MethodName): number => JOB_LIMITS[method] ?? DEFAULT_CALL_LIMIT_MS
