import { SingleBar } from 'cli-progress'

export interface Progress {
  update(done: number, total: number | null, detail?: string): void
  stop(): void
}

/** A progress bar on stderr (silent when stderr is not a terminal, so pipes and --json stay clean). */
export function progressBar(label: string): Progress {
  let bar: SingleBar | null = null
  let knownTotal: number | null = null
  return {
    update(done, total, detail = '') {
      if (!process.stderr.isTTY) return
      if (!bar || total !== knownTotal) {
        bar?.stop()
        knownTotal = total
        const format = total
          ? `${label} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted} {detail}`
          : `${label} {value} {detail}`
        bar = new SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 50 })
        bar.start(total ?? 0, done, { detail })
      }
      bar.update(done, { detail })
    },
    stop() {
      bar?.stop()
      bar = null
    },
  }
}
