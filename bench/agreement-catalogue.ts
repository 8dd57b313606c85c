import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { mulberry32 } from '../src/shared/random'
import { agreementReport } from '../src/main/coders/agreement-report'
import { Workspace } from '../src/main/workspace/workspace'

// Issue 14's agreement target measured end to end from a catalogue: two coders' codings of N images
// x (the emotion + 39 AUs) written into a fresh workspace (not timed), then the whole Agreement
// report (reading the codings, every coefficient with its bootstrap interval, the FACS index) timed,
// wall and CPU. bench/agreement.ts times the statistics alone on typed arrays.
// Run: npx tsx bench/agreement-catalogue.ts [images]

export interface CatalogueAgreementResult {
  images: number
  classes: number
  codings: number
  seconds: number
  cpuSeconds: number
  targetSeconds: number
}

function writeCodings(ws: Workspace, images: number): number[] {
  const db = ws.db
  const classes = db
    .prepare("SELECT id FROM classes WHERE kind = 'au' OR code = 'happy' ORDER BY position LIMIT 40")
    .pluck()
    .all() as number[]
  db.prepare("INSERT INTO datasets (name, root, format, created_at) VALUES ('bench', '/bench', 'csv', 0)").run()
  db.prepare("INSERT INTO coders (name, created_at) VALUES ('A', 0), ('B', 0)").run()
  const image = db.prepare(
    "INSERT INTO images (id, dataset_id, path, sha256, width, height, split) VALUES (?, 1, ?, ?, 1, 1, 'train')",
  )
  const coding = db.prepare('INSERT INTO codings (image_id, class_id, coder_id, value, set_at) VALUES (?, ?, ?, ?, 0)')
  const random = mulberry32(14)
  db.transaction(() => {
    for (let i = 1; i <= images; i++) {
      image.run(i, `${i}.png`, String(i))
      for (const c of classes) {
        const truth = random() < 0.3 ? 1 : 0
        coding.run(i, c, 1, truth)
        coding.run(i, c, 2, random() < 0.1 ? 1 - truth : truth)
      }
    }
  })()
  return classes
}

export function runCatalogueAgreementBench(images = 100_000): CatalogueAgreementResult {
  const dir = mkdtempSync(join(tmpdir(), 'affect-agreement-bench-'))
  const ws = Workspace.create(join(dir, 'ws'), { server: null })
  try {
    const classes = writeCodings(ws, images)
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    agreementReport(ws.db, { coders: ['A', 'B'] })
    const seconds = (performance.now() - start) / 1000
    const cpu = process.cpuUsage(cpuStart)
    return {
      images,
      classes: classes.length,
      codings: images * classes.length * 2,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      targetSeconds: 2,
    }
  } finally {
    ws.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = runCatalogueAgreementBench(Number(process.argv[2]) || undefined)
  console.log(
    `Agreement report from the catalogue: ${r.images.toLocaleString('en')} images x ${r.classes} classes (${r.codings.toLocaleString('en')} codings): ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s; target < ${r.targetSeconds} s)`,
  )
}
