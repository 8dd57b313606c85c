import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { mulberry32, randomInt } from '../../src/shared/random'
import { classAgreement } from '../../src/shared/statistics/agreement'
import { MISSING, tallyPatterns, type Codings } from '../../src/shared/statistics/codings'
import { spearman } from '../../src/shared/statistics/correlation'
import { cohenKappa, type KappaWeights } from '../../src/shared/statistics/kappa'
import { studentTQuantile } from '../../src/shared/statistics/student-t'

// Our statistics against reference implementations run here: scikit-learn's cohen_kappa_score
// (Debian python3-sklearn, which .ci/run installs) and scipy, on random data, to 1e-9.

const PYTHON = '/usr/bin/python3'

const REFERENCE = `
import json, sys, warnings
from sklearn.metrics import cohen_kappa_score
from scipy import stats
warnings.simplefilter('ignore')
cases = json.load(sys.stdin)
out = {
  'kappa': [float(cohen_kappa_score(c['a'], c['b'], labels=list(range(c['categories'])), weights=c['weights'])) for c in cases['kappa']],
  'spearman': [float(stats.spearmanr(c['x'], c['y']).correlation) for c in cases['spearman']],
  't': [float(stats.t.ppf(c['p'], c['df'])) for c in cases['t']],
}
print(json.dumps(out))
`

interface KappaCase {
  codings: Codings
  weights: KappaWeights
  a: number[]
  b: number[]
  categories: number
}

/** Two coders who agree with probability `agreement`, otherwise code at random; some codes missing. */
function randomKappaCase(
  seed: number,
  items: number,
  categories: number,
  agreement: number,
  weights: KappaWeights,
): KappaCase {
  const random = mulberry32(seed)
  const codes = new Int32Array(items * 2)
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < items; i++) {
    const first = randomInt(random, categories)
    const second = random() < agreement ? first : randomInt(random, categories)
    const missing = random() < 0.05
    codes[2 * i] = missing ? MISSING : first
    codes[2 * i + 1] = second
    if (!missing) {
      a.push(first)
      b.push(second)
    }
  }
  return { codings: { items, coders: 2, categories, codes }, weights, a, b, categories }
}

function runReference(input: unknown): { kappa: number[]; spearman: number[]; t: number[] } {
  const run = spawnSync(PYTHON, ['-c', REFERENCE], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (run.error || run.status !== 0) {
    throw new Error(
      `${PYTHON} with scikit-learn and scipy is needed for this test (Debian: apt-get install python3-sklearn): ${run.error?.message ?? run.stderr}`,
    )
  }
  return JSON.parse(run.stdout)
}

describe('statistics against scikit-learn and scipy', () => {
  const weights: KappaWeights[] = ['none', 'linear', 'quadratic']
  const kappaCases = [5, 40, 300, 5000].flatMap((items, i) =>
    [2, 3, 8].flatMap((categories, j) =>
      weights.map((w, k) =>
        randomKappaCase(100 * i + 10 * j + k, items, categories, 0.2 + 0.25 * ((i + j + k) % 4), w),
      ),
    ),
  )
  const spearmanCases = [8, 30, 400].map((n, i) => {
    const random = mulberry32(900 + i)
    const x = Array.from({ length: n }, () => Math.round(random() * 10) / 10) // ties on purpose
    return { x, y: x.map((v) => Math.round((v + random() * 0.5) * 5) / 5) }
  })
  const tCases = [1, 2, 3, 4, 5, 9, 19, 29, 30, 99, 1000].flatMap((df) =>
    [0.9, 0.95, 0.975, 0.995].map((p) => ({ p, df })),
  )
  const reference = runReference({
    kappa: kappaCases.map(({ a, b, categories, weights: w }) => ({
      a,
      b,
      categories,
      weights: w === 'none' ? null : w,
    })),
    spearman: spearmanCases,
    t: tCases,
  })

  it("Cohen's kappa, plain and weighted, equals cohen_kappa_score to 1e-9 (36 random tables, 5 to 5,000 items)", () => {
    expect(reference.kappa).toHaveLength(36)
    kappaCases.forEach((c, i) => {
      const ours = cohenKappa(tallyPatterns(c.codings), { weights: c.weights }).value
      expect(
        Math.abs(ours! - reference.kappa[i]),
        `case ${i}: ${c.codings.items} items, ${c.categories} categories, ${c.weights}`,
      ).toBeLessThan(1e-9)
    })
  })

  it("the Agreement report's kappa is the same number", () => {
    const c = kappaCases.find((k) => k.codings.items === 5000 && k.weights === 'none')!
    expect(
      Math.abs(
        classAgreement(c.codings, { resamples: 200 }).cohenKappa.value! - reference.kappa[kappaCases.indexOf(c)],
      ),
    ).toBeLessThan(1e-9)
  })

  it("Spearman with ties equals scipy's spearmanr to 1e-9", () => {
    spearmanCases.forEach((c, i) =>
      expect(Math.abs(spearman(c.x, c.y).value! - reference.spearman[i])).toBeLessThan(1e-9),
    )
  })

  it("Student's t quantiles equal scipy's t.ppf to scipy's own accuracy", () => {
    // scipy 1.10's t.ppf is off by up to 1e-8 against mpmath (ours by 1e-12: student-t.test.ts).
    tCases.forEach((c, i) =>
      expect(Math.abs(studentTQuantile(c.p, c.df) - reference.t[i]), `t(${c.p}, ${c.df})`).toBeLessThan(2e-8),
    )
  })
})
