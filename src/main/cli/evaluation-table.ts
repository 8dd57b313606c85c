import type { RunEvaluation } from '../../shared/contract'
import { describeCoverage } from '../../shared/metrics/coverage'

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '   -  ' : `${(v * 100).toFixed(1).padStart(5)}%`
const num = (v: number | null | undefined) => (v === null || v === undefined ? '  -  ' : v.toFixed(2).padStart(5))

/** The Fig. 2 matrix as a small table: rows = predicted emotion, columns = AUs, mean probability. */
export function printAuByEmotion(e: RunEvaluation): void {
  const m = e.auByEmotion
  if (!m.aus.length || !m.emotions.length) return
  console.log(
    `AUs by predicted emotion (mean probability, ${m.counts.reduce((a, b) => a + b, 0)} emotion-only images):`,
  )
  console.log(`${''.padEnd(10)}${m.aus.map((a) => a.padStart(6)).join('')}    n`)
  m.emotions.forEach((emotion, i) => {
    if (!m.counts[i]) return
    console.log(
      `${emotion.padEnd(10)}${m.matrix[i].map((v) => num(v).padStart(6)).join('')}  ${String(m.counts[i]).padStart(4)}`,
    )
  })
}

export function printEvaluation(e: RunEvaluation): void {
  console.log(
    `Run ${e.runId}, ${e.split} split of ${e.coverage.datasets.join(', ') || 'no dataset'} (checkpoint ${e.checkpoint})`,
  )
  console.log(`  ${describeCoverage(e.split, e.coverage)}`)
  console.log(
    `  emotion accuracy ${pct(e.emotionAccuracy)}   mean per-class accuracy ${pct(e.meanPerClassAccuracy)}   macro-F1 ${pct(e.macroF1)}`,
  )
  console.log(`  AU accuracy      ${pct(e.auAccuracyMean)}   mean AU F1 ${pct(e.auF1Mean)}`)
  if (e.hiddenTruth)
    console.log(
      `  AUs on emotion-only images vs the generator's truth (${e.hiddenTruth.images} images): accuracy ${pct(e.hiddenTruth.auAccuracyMean)}, mean F1 ${pct(e.hiddenTruth.auF1Mean)}`,
    )
  console.log('  class          accuracy     F1  base rate  support')
  for (const c of e.perClass)
    console.log(
      `  ${c.code.padEnd(14)} ${pct(c.accuracy)} ${pct(c.f1)}    ${pct(c.baseRate)} ${String(c.support).padStart(7)}`,
    )
  printAuByEmotion(e)
}
