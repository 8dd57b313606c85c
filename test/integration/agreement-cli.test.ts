import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32, randomInt } from '../../src/shared/random'
import { requireCoder } from '../../src/main/coders/coders'
import { saveCodings } from '../../src/main/coders/save-codings'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { testWorkbench } from '../helpers/workbench'

// Done-when of issue 14: `affect agreement --json` shows Cohen's kappa equal to scikit-learn's
// cohen_kappa_score (Debian python3-sklearn, installed by .ci/run) to 1e-9, per AU and for the
// emotion, on codes two coders saved through the workbench (some left unknown by one coder).

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'affect.mjs')
const EMOTIONS = ['happy', 'sad', 'surprise', 'neutral']
const AUS = ['AU6', 'AU12']

const SKLEARN = `
import json, sys
from sklearn.metrics import cohen_kappa_score
pairs = json.load(sys.stdin)
print(json.dumps({k: float(cohen_kappa_score(v[0], v[1])) for k, v in pairs.items()}))
`

let wb: ReturnType<typeof testWorkbench>
const pairs: Record<string, [(string | number)[], (string | number)[]]> = {}

beforeAll(() => {
  wb = testWorkbench()
  const db = wb.ctx.requireWorkspace().db
  const ids = seedCatalogue(db, [
    {
      name: 'pair',
      classCodes: [...EMOTIONS, ...AUS],
      images: Array.from({ length: 150 }, (_, n) => ({ path: `${n}.png` })),
    },
  ])
  for (const name of ['Ana', 'Ben']) db.prepare('INSERT INTO coders (name, created_at) VALUES (?, 0)').run(name)
  const [ana, ben] = ['Ana', 'Ben'].map((n) => requireCoder(db, n))
  const random = mulberry32(14)
  for (const code of ['emotion', ...AUS]) pairs[code] = [[], []]
  for (const imageId of ids) {
    const a = { emotion: EMOTIONS[randomInt(random, 4)], AU6: randomInt(random, 2), AU12: randomInt(random, 2) }
    const b = {
      emotion: random() < 0.7 ? a.emotion : EMOTIONS[randomInt(random, 4)],
      AU6: random() < 0.8 ? a.AU6 : 1 - a.AU6,
      AU12: random() < 0.6 ? a.AU12 : randomInt(random, 2),
    }
    const benSkipsAU12 = random() < 0.1
    saveCodings(
      db,
      ana,
      imageId,
      [{ code: a.emotion, value: 1 }, ...AUS.map((au) => ({ code: au, value: a[au as 'AU6'] as 0 | 1 }))],
      '',
    )
    saveCodings(
      db,
      ben,
      imageId,
      [
        { code: b.emotion, value: 1 },
        ...AUS.filter((au) => au !== 'AU12' || !benSkipsAU12).map((au) => ({
          code: au,
          value: b[au as 'AU6'] as 0 | 1,
        })),
      ],
      '',
    )
    for (const code of ['emotion', ...AUS]) {
      if (code === 'AU12' && benSkipsAU12) continue
      pairs[code][0].push(a[code as 'emotion'])
      pairs[code][1].push(b[code as 'emotion'])
    }
  }
  wb.close()
})
afterAll(() => wb.cleanup())

describe('affect agreement --json', () => {
  it("gives Cohen's kappa per class equal to scikit-learn's to 1e-9, with n, the other coefficients and an interval", () => {
    const cli = spawnSync(
      process.execPath,
      [BIN, 'agreement', '--workspace', join(wb.dir, 'ws'), '--coders', 'Ana,Ben', '--json'],
      {
        encoding: 'utf8',
        env: { ...process.env, AFFECT_CONFIG_DIR: wb.dir },
      },
    )
    expect(cli.stderr).toBe('')
    const out = JSON.parse(cli.stdout) as {
      coders: string[]
      classes: Record<
        string,
        {
          cohenKappa: number
          fleissKappa: number
          krippendorffAlpha: number
          agreementIndex: number | null
          n: number
          ci95: [number, number]
        }
      >
    }
    const reference = spawnSync('/usr/bin/python3', ['-c', SKLEARN], { input: JSON.stringify(pairs), encoding: 'utf8' })
    expect(reference.stderr).toBe('')
    const sklearn = JSON.parse(reference.stdout) as Record<string, number>
    expect(out.coders).toEqual(['Ana', 'Ben'])
    expect(Object.keys(out.classes).sort()).toEqual(['AU12', 'AU6', 'emotion'])
    for (const code of ['emotion', ...AUS]) {
      const c = out.classes[code]
      expect(Math.abs(c.cohenKappa - sklearn[code]), code).toBeLessThan(1e-9)
      expect(c.n).toBe(pairs[code][0].length)
      expect(c.ci95[0]).toBeLessThan(c.cohenKappa)
      expect(c.ci95[1]).toBeGreaterThan(c.cohenKappa)
      expect(c.fleissKappa).toBeTypeOf('number')
      expect(c.krippendorffAlpha).toBeTypeOf('number')
    }
    expect(out.classes.AU12.n).toBeLessThan(150)
    expect(out.classes.AU6.agreementIndex).toBeGreaterThan(0)
  })
})
