import type { Workbench } from '../src/main/app/assemble'
import { call } from '../src/main/cli/call'

// Issue 14's "queue navigation as fast as the Label view": moving to the next image in a coder's
// queue asks `codings.image` (the coder's codes, blind to the others'), the Label view asks
// `images.get`. Both through the router, on the same images, alternating, after a warm-up; the
// picture itself is the same media request in both views and is not timed.

export interface QueueNavigationResult {
  /** Per-image calls timed for each view. */
  images: number
  codingMedianMs: number
  codingP95Ms: number
  labelMedianMs: number
  labelP95Ms: number
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]

/** Times `count` per-image calls of each view over images spread through ids 1..`maxId`, as coder `coder`. */
export async function timeQueueNavigation(
  wb: Workbench,
  coder: string,
  maxId: number,
  count = 400,
): Promise<QueueNavigationResult> {
  const ids = Array.from({ length: count }, (_, i) => 1 + ((i * 7919) % maxId))
  const coding = (id: number) => call(wb, 'codings.image', { imageId: id, coder })
  const label = (id: number) => call(wb, 'images.get', { id })
  for (const id of ids.slice(0, 20)) await Promise.all([coding(id), label(id)])
  const codingMs: number[] = []
  const labelMs: number[] = []
  for (const id of ids) {
    let t = performance.now()
    await coding(id)
    codingMs.push(performance.now() - t)
    t = performance.now()
    await label(id)
    labelMs.push(performance.now() - t)
  }
  codingMs.sort((a, b) => a - b)
  labelMs.sort((a, b) => a - b)
  return {
    images: count,
    codingMedianMs: quantile(codingMs, 0.5),
    codingP95Ms: quantile(codingMs, 0.95),
    labelMedianMs: quantile(labelMs, 0.5),
    labelP95Ms: quantile(labelMs, 0.95),
  }
}
