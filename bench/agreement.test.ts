import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Workspace } from '../src/main/workspace/workspace'
import { agreementBenchLines, runAgreementBench } from './agreement'
import { buildAgreementWorkspace } from './agreement-workspace'

// The benchmark itself runs at full size from `affect bench agreement` (or `npx tsx bench/agreement.ts`);
// here only that it builds what it says and times the real call, on a small size. Its speed is never
// checked in a test.
const dir = mkdtempSync(join(tmpdir(), 'agreement-bench-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const schemaOf = (ws: Workspace) =>
  ws.db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all()

describe('agreement benchmark', () => {
  it('builds two coders x 40 classes per image, reports each AU and the emotion with sane kappas, and says so', async () => {
    const options = { images: 400, cacheDir: join(dir, 'cache') }
    const r = await runAgreementBench(options)
    expect(r).toMatchObject({ images: 400, classes: 40, coders: 2, built: true, targetSeconds: 2, reportedClasses: 32 })
    expect(r.codings).toBeGreaterThan(400 * 40 * 2 * 0.95)
    expect(r.codings).toBeLessThan(400 * 40 * 2)
    expect(r.meanKappa).toBeGreaterThan(0.3)
    expect(r.meanKappa).toBeLessThan(0.95)
    expect(r.readSeconds).toBeGreaterThan(0)
    expect(r.statisticsSeconds).toBeGreaterThan(0)
    expect(agreementBenchLines(r)[0]).toContain('400 images x 40 classes x 2 coders')
    expect(r.queueNavigation.images).toBe(400)
    expect(r.queueNavigation.codingMedianMs).toBeGreaterThan(0)
    expect(r.queueNavigation.labelP95Ms).toBeGreaterThanOrEqual(r.queueNavigation.labelMedianMs)
    expect(agreementBenchLines(r)[2]).toMatch(
      /^Next image, per call over 400 images: Coding queue \(codings.image\) median/,
    )
    const again = await runAgreementBench(options)
    expect(again).toMatchObject({ built: false, codings: r.codings, meanKappa: r.meanKappa })
    expect(agreementBenchLines(again)[0]).toContain('copied from the cache')
  })

  it("writes coder_codes in bulk exactly as migration 0012's triggers do, and leaves the schema whole", () => {
    buildAgreementWorkspace(join(dir, 'bulk'), 300)
    const bulk = Workspace.open(join(dir, 'bulk'))
    const triggered = Workspace.create(join(dir, 'triggered'))
    try {
      expect(schemaOf(bulk)).toEqual(schemaOf(triggered))
      const db = triggered.db
      db.exec(`ATTACH '${join(dir, 'bulk', 'catalogue.sqlite')}' AS bulk`)
      db.transaction(() => {
        for (const table of ['datasets', 'dataset_classes', 'coders', 'images', 'codings'])
          db.exec(`INSERT INTO main.${table} SELECT * FROM bulk.${table}`)
      })()
      const rows = (sql: string) => db.prepare(sql).all()
      expect(rows('SELECT count(*) AS n FROM main.coder_codes')).toEqual([{ n: 600 }])
      expect(rows('SELECT * FROM main.coder_codes EXCEPT SELECT * FROM bulk.coder_codes')).toEqual([])
      expect(rows('SELECT * FROM bulk.coder_codes EXCEPT SELECT * FROM main.coder_codes')).toEqual([])
    } finally {
      bulk.close()
      triggered.close()
    }
  })
})
