import { join } from 'node:path'
import { isImageName, sortedEntries } from './root'

// Video datasets (DISFA, BP4D) label frames by number while users extract the frames with whatever
// naming their tool uses (`12.jpg`, `0012.png`, `frame_00012.jpg`). Indexing a folder once by the
// last number in each file name matches all of them without a stat per frame.

/** Frame number -> absolute image path for the images in `dir`; undefined when the folder does not exist. */
export async function framesByNumber(dir: string): Promise<Map<number, string> | undefined> {
  const entries = await sortedEntries(dir)
  if (!entries.length) return undefined
  const out = new Map<number, string>()
  for (const e of entries) {
    if (!e.file || e.name.startsWith('.') || !isImageName(e.name)) continue
    const digits = /(\d+)\D*$/.exec(e.name)
    if (!digits) continue
    const n = Number(digits[1])
    // Sorted order makes the choice stable when two files carry the same number (1.jpg and 1.png).
    if (!out.has(n)) out.set(n, join(dir, e.name))
  }
  return out
}
