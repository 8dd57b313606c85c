// Long catalogue work (an edit of a million labels, its undo) is written as a generator that
// yields between chunks, each chunk one short transaction. Run paced, it gives the event loop back
// at every yield, so other clients' calls are answered between chunks; run at once (opening a
// workspace, tests), it goes straight through. Either way the work and its order are the same.

/** Work in steps: each `yield` is a point where other callers may run. */
export type Steps<T> = Generator<void, T, void>

/** Runs the steps without pausing. */
export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Runs the steps, letting the event loop serve others at every yield. */
export async function runPaced<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
    await nextTurn()
  }
}

/**
 * Groups rows into batches of about `size`, never splitting a run of one image's rows between two
 * batches: the one-emotion rule looks at all of an image's changes at once.
 */
export function* batchesByImage<T extends { imageId: number }>(
  rows: Iterable<T>,
  size: number,
): Generator<T[], void, void> {
  let batch: T[] = []
  for (const row of rows) {
    if (batch.length >= size && batch[batch.length - 1].imageId !== row.imageId) {
      yield batch
      batch = []
    }
    batch.push(row)
  }
  if (batch.length) yield batch
}
