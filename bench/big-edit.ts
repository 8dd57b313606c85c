import type { Database } from 'better-sqlite3'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { methods } from '../src/shared/contract'
import { editLabels } from '../src/main/labels/edits'

export interface BigEditStats {
  changes: number
  /** Checking the call's arguments against the contract, as the router does (blocks: one step). */
  validateMs: number
  /** From the call to its answer. */
  seconds: number
  /** The longest the event loop was held while the edit was written (target ~100 ms). */
  longestStallMs: number
  /** Small edits made meanwhile by "another client", every 50 ms, and their latency. */
  smallEdits: number
  smallEditP95Ms: number
}

/**
 * A labels.edit of one change per image (AU12 on every image of the catalogue) while another
 * client keeps making single edits: how long the event loop is held at most, and how long the
 * small edits wait.
 */
export async function measureBigEdit(db: Database, images: number): Promise<BigEditStats> {
  const changes = Array.from({ length: images }, (_, i) => ({
    imageId: i + 1,
    code: 'AU12',
    value: (i % 3 === 0 ? 1 : 0) as 0 | 1,
  }))
  const delay = monitorEventLoopDelay({ resolution: 10 })
  const small: number[] = []
  let running = true
  const other = (async () => {
    for (let i = 0; running; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      const t = performance.now()
      await editLabels(
        db,
        [{ imageId: 1 + ((i * 104_729) % images), code: 'AU6', value: (i % 2) as 0 | 1 }],
        'other client',
        'bench',
      )
      small.push(performance.now() - t)
    }
  })()
  delay.enable()
  const t0 = performance.now()
  const args = methods['labels.edit'].input.parse({ changes, reason: 'bench: one change per image', who: 'bench' })
  const validateMs = performance.now() - t0
  await editLabels(db, args.changes, args.who!, args.reason)
  const seconds = (performance.now() - t0) / 1000
  delay.disable()
  running = false
  await other
  const sorted = small.sort((a, b) => a - b)
  return {
    changes: changes.length,
    validateMs,
    seconds,
    longestStallMs: delay.max / 1e6,
    smallEdits: small.length,
    smallEditP95Ms: sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? 0,
  }
}
