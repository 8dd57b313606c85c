import { stringify, type Stringifier } from 'csv-stringify'
import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { writeFailure } from './write-failure'

// Text from users and datasets goes into CSVs that people open in spreadsheets. A cell that starts
// with = + - @ (or a tab or carriage return) is a formula there: `=HYPERLINK(...)` in a reason would
// be live. OWASP's rule: such text cells get a leading apostrophe. Only text cells: numbers are
// written as numbers (a -0.5 stays a number). NUL never reaches the file (it becomes U+FFFD, as a
// lone surrogate does when encoded): many CSV readers stop at it.
const FORMULA_START = /^[=+\-@\t\r]/

/** What the sidecars say about text cells. */
export const TEXT_CELL_NOTE =
  "text (paths, names, reasons) that starts with = + - @, a tab or a carriage return is written with a leading ' so that spreadsheets do not run it as a formula"

/** A text cell as written: formula-looking text neutralised, NUL replaced. */
export function safeTextCell(text: string): string {
  const clean = text.replaceAll('\0', '\uFFFD')
  return FORMULA_START.test(clean) ? `'${clean}` : clean
}

/** A cell: text (neutralised), a number (written as a number), or null / '' for an empty cell. */
export type CsvCell = string | number | null

/**
 * A CSV written row by row with back-pressure (exports of a million rows stay small in memory), to
 * a temporary file renamed into place at the end, so a failed export never leaves half a file: on
 * any failure (a full disk, a missing folder) the temporary file is removed and the error is one
 * line naming the file.
 */
export class CsvFile {
  private readonly stringifier: Stringifier
  private readonly tmp: string
  private readonly done: Promise<void>
  /** Rejects as soon as writing fails; never resolves. */
  private readonly failed: Promise<never>
  private error: unknown = null
  /** Rows written so far (the header not counted). */
  rows = 0

  constructor(
    readonly path: string,
    header: string[],
  ) {
    this.tmp = `${path}.${process.pid}.partial`
    this.stringifier = stringify({ header: true, columns: header, cast: { string: safeTextCell } })
    // pipeline ends both streams on the first error of either, and reports it once.
    this.done = pipeline(this.stringifier, createWriteStream(this.tmp))
    this.failed = new Promise<never>((_, reject) => void this.done.catch((e: unknown) => reject((this.error = e))))
    // Observed by write() and close(); an export that already stopped must not crash the process.
    this.failed.catch(() => {})
  }

  async write(row: CsvCell[]): Promise<void> {
    if (this.error) throw this.error
    this.rows++
    if (!this.stringifier.write(row)) await Promise.race([once(this.stringifier, 'drain'), this.failed])
  }

  /** Writes a whole CSV through `fill`; the file appears only if every row was written. Returns the row count. */
  static async writeAll(path: string, header: string[], fill: (csv: CsvFile) => Promise<void>): Promise<number> {
    const csv = new CsvFile(path, header)
    try {
      await Promise.race([fill(csv), csv.failed])
      await csv.close()
      return csv.rows
    } catch (e) {
      await csv.abort()
      throw writeFailure(path, e)
    }
  }

  async close(): Promise<void> {
    this.stringifier.end()
    await this.done
    renameSync(this.tmp, this.path)
  }

  /** Stops writing and removes the temporary file, once the file stream has let go of it. */
  async abort(): Promise<void> {
    this.stringifier.destroy()
    await this.done.catch(() => {})
    rmSync(this.tmp, { force: true })
  }
}

/**
 * Writes the JSON description beside an export's CSV. When that fails the CSV goes too: an export
 * is both files or neither.
 */
export function writeSidecar(csvFile: string, sidecar: string, data: unknown): void {
  const tmp = `${sidecar}.${process.pid}.partial`
  try {
    writeFileSync(tmp, JSON.stringify(data, null, 2))
    renameSync(tmp, sidecar)
  } catch (e) {
    rmSync(tmp, { force: true })
    rmSync(csvFile, { force: true })
    throw writeFailure(sidecar, e)
  }
}

/** Probabilities with 6 significant digits: exact enough, and a third of the file size of full floats. */
export const formatProbability = (p: number | undefined): number | '' =>
  p === undefined || !Number.isFinite(p) ? '' : Number(p.toPrecision(6))
