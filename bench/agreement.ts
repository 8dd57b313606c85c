import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createWorkbench } from '../src/main/app/assemble'
import { Settings } from '../src/main/app/settings'
import { call } from '../src/main/cli/call'
import { scopedCodings } from '../src/main/coders/agreement-codings'
import { agreementStatistics } from '../src/main/coders/agreement-report'
import { agreementWorkspace } from './agreement-workspace'
import { timeQueueNavigation, type QueueNavigationResult } from './queue-navigation'

// Issue 14's speed target: agreement over 100,000 double-coded images x 40 classes in under 2 s,
// measured as a user waits for it: the `agreement.get` call that the Agreement view and `affect
// agreement` make, through the router, on a workspace where two coders coded every image for 40
// classes (31 AUs with FACS intensity, the 8 emotions, one compound emotion; agreement-workspace.ts).
// Building the workspace is not timed (it is built once and kept under the OS temp folder). The call
// is then timed in its two halves apart: reading the codings from SQLite, and every statistic with
// its bootstrap interval.
// Run: npx tsx bench/agreement.ts [images]

export interface AgreementBenchOptions {
  images?: number
  seed?: number
  /** Where the built workspace is kept between runs (default: under the OS temp folder). */
  cacheDir?: string
}

export interface AgreementBenchResult {
  images: number
  /** Label classes each coder coded per image. */
  classes: number
  coders: number
  codings: number
  /** Whether this run built the workspace (false: copied from the cache). */
  built: boolean
  /** Building the workspace, or copying it from the cache. */
  buildSeconds: number
  /** The whole agreement.get call, wall time. */
  seconds: number
  /** CPU time of this process over the call: the wall time without the other programs sharing the cores. */
  cpuSeconds: number
  /** The call's two halves, timed apart after it: the codings read from the catalogue, then the statistics. */
  readSeconds: number
  statisticsSeconds: number
  targetSeconds: number
  /** Classes in the report (each AU and the emotion). */
  reportedClasses: number
  /** Mean Cohen's kappa over the reported classes: a check that the numbers are sane. */
  meanKappa: number
  /** Moving through coder A's images in the Coding queue against the Label view, per image. */
  queueNavigation: QueueNavigationResult
}

const seconds = (from: number) => (performance.now() - from) / 1000

export async function runAgreementBench(options: AgreementBenchOptions = {}): Promise<AgreementBenchResult> {
  const images = options.images ?? 100_000
  const dir = mkdtempSync(join(tmpdir(), 'affect-agreement-bench-'))
  try {
    const build = agreementWorkspace(join(dir, 'ws'), images, options.seed, options.cacheDir)
    const wb = createWorkbench({
      transport: 'cli',
      settings: new Settings(join(dir, 'settings.json')),
      workspace: join(dir, 'ws'),
    })
    try {
      const cpuStart = process.cpuUsage()
      const start = performance.now()
      const report = await call(wb, 'agreement.get', {})
      const total = seconds(start)
      const cpu = process.cpuUsage(cpuStart)
      const db = wb.ctx.requireWorkspace().db
      const count = (sql: string) => db.prepare(sql).pluck().get() as number
      const readStart = performance.now()
      const scoped = scopedCodings(db, {})
      const readSeconds = seconds(readStart)
      const statisticsStart = performance.now()
      agreementStatistics(db, scoped, {})
      const statisticsSeconds = seconds(statisticsStart)
      const kappas = Object.values(report.perClass).map((a) => a.cohenKappa.value ?? 0)
      const queueNavigation = await timeQueueNavigation(wb, report.coders[0], images)
      return {
        images,
        classes: count('SELECT count(*) FROM dataset_classes'),
        coders: report.coders.length,
        codings: count('SELECT count(*) FROM codings'),
        built: build.built,
        buildSeconds: build.seconds,
        seconds: total,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        readSeconds,
        statisticsSeconds,
        targetSeconds: 2,
        reportedClasses: kappas.length,
        meanKappa: kappas.reduce((a, b) => a + b, 0) / kappas.length,
        queueNavigation,
      }
    } finally {
      wb.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function agreementBenchLines(r: AgreementBenchResult): string[] {
  const q = r.queueNavigation
  return [
    `Agreement from the catalogue, ${r.images.toLocaleString('en')} images x ${r.classes} classes x ${r.coders} coders (${r.codings.toLocaleString('en')} codings; ${r.built ? 'built' : 'copied from the cache'} in ${r.buildSeconds.toFixed(0)} s): ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s; target < ${r.targetSeconds} s)`,
    `  timed apart: read ${r.readSeconds.toFixed(2)} s, statistics ${r.statisticsSeconds.toFixed(2)} s (${r.reportedClasses} classes reported: each AU and the emotion; mean kappa ${r.meanKappa.toFixed(3)})`,
    `Next image, per call over ${q.images} images: Coding queue (codings.image) median ${q.codingMedianMs.toFixed(2)} ms, p95 ${q.codingP95Ms.toFixed(2)} ms; Label view (images.get) median ${q.labelMedianMs.toFixed(2)} ms, p95 ${q.labelP95Ms.toFixed(2)} ms`,
  ]
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runAgreementBench({ images: Number(process.argv[2]) || undefined }).then((r) => {
    for (const line of agreementBenchLines(r)) console.log(line)
  })
}
