import { stringify, type Stringifier } from 'csv-stringify'
import { createWriteStream, renameSync, rmSync } from 'node:fs'
import { once } from 'node:events'

/**
 * A CSV written row by row with back-pressure (exports of a million rows stay small in memory), to
 * a temporary file renamed into place at the end, so a failed export never leaves half a file.
 */
export class CsvFile {
  private readonly stringifier: Stringifier
  private readonly tmp: string
  private readonly done: Promise<void>
  /** Rows written so far (the header not counted). */
  rows = 0

  constructor(readonly path: string, header: string[]) {
    this.tmp = `${path}.${process.pid}.partial`
    const out = createWriteStream(this.tmp)
    this.stringifier = stringify({ header: true, columns: header })
    this.stringifier.pipe(out)
    this.done = new Promise((resolve, reject) => {
      out.on('finish', resolve)
      out.on('error', reject)
      this.stringifier.on('error', reject)
    })
  }

  async write(row: (string | number | null)[]): Promise<void> {
    this.rows++
    if (!this.stringifier.write(row)) await once(this.stringifier, 'drain')
  }

  /** Writes a whole CSV through `fill`; the file appears only if every row was written. Returns the row count. */
  static async writeAll(path: string, header: string[], fill: (csv: CsvFile) => Promise<void>): Promise<number> {
    const csv = new CsvFile(path, header)
    try {
      await fill(csv)
      await csv.close()
      return csv.rows
    } catch (e) {
      csv.abort()
      throw e
    }
  }

  async close(): Promise<void> {
    this.stringifier.end()
    await this.done
    renameSync(this.tmp, this.path)
  }

  abort(): void {
    this.stringifier.destroy()
    rmSync(this.tmp, { force: true })
  }
}

/** Probabilities with 6 significant digits: exact enough, and a third of the file size of full floats. */
export const formatProbability = (p: number | undefined): string => (p === undefined || !Number.isFinite(p) ? '' : Number(p.toPrecision(6)).toString())
