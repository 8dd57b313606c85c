import { spawnSync } from 'node:child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportResult, MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import { csvReader } from '../../src/main/import/formats/csv'
import { collect, writeDataset } from '../../src/main/import/formats/common/test-kit'
import { runCli } from '../../src/main/cli/index'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { testWorkbench } from '../helpers/workbench'

// The labels export with FACS intensities: AU12_r beside AU12 round-trips through the csv importer,
// and the OpenFace layout (`--columns openface`) joins with an OpenFace output file on `frame`.

const PYTHON = '/usr/bin/python3'
let wb: ReturnType<typeof testWorkbench>
let ids: number[]

async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}
const readCsv = (file: string) => parse(readFileSync(file), { columns: true }) as Record<string, string>[]

beforeAll(async () => {
  wb = testWorkbench()
  const db = wb.ctx.requireWorkspace().db
  ids = seedCatalogue(db, [
    {
      name: 'disfa',
      format: 'disfa',
      classCodes: ['AU1', 'AU12'],
      images: [1, 2, 3].map((n) => ({ path: `Images/SN001/0000${n}.png` })),
    },
    { name: 'stills', classCodes: ['happy', 'AU12'], images: [{ path: 'still.png', labels: { happy: 1 } }] },
  ])
  // DISFA's trace (1) is absent with its A kept, as the importer stores it.
  db.prepare(
    "INSERT INTO labels (image_id, class_id, value, intensity, set_by, set_at) VALUES (?, (SELECT id FROM classes WHERE code = 'AU1'), 0, 1, 'import', 0)",
  ).run(ids[0])
  await call('labels.edit', {
    changes: [
      { imageId: ids[0], code: 'AU12', value: 1, intensity: 3 },
      { imageId: ids[1], code: 'AU12', value: 0 },
      { imageId: ids[1], code: 'AU1', value: 1 },
      { imageId: ids[3], code: 'AU12', value: 1, intensity: 5 },
    ],
    who: 'Ana',
  })
})
afterAll(() => wb.cleanup())

describe('labels export with FACS intensity', () => {
  it('writes AU12_r beside AU12 (0 absent, 1-5 = A-E, empty unknown or not coded) and reads it back', async () => {
    const result = (await call('exports.create', { kind: 'labels', datasets: ['disfa'] })) as ExportResult
    const rows = readCsv(result.file)
    expect(rows.map((r) => [r.path, r.AU1, r.AU1_r, r.AU12, r.AU12_r])).toEqual([
      ['Images/SN001/00001.png', '0', '1', '1', '3'],
      ['Images/SN001/00002.png', '1', '', '0', '0'],
      ['Images/SN001/00003.png', '', '', '', ''],
    ])
    // The export next to the frames it names, read by the csv importer: every label and intensity comes back.
    const fx = await writeDataset(Object.fromEntries(rows.map((r) => [r.path, null])))
    try {
      copyFileSync(result.file, join(fx.root, 'labels.csv'))
      const { records } = await collect(csvReader, fx.root)
      expect(records.map((r) => r.labels)).toEqual([
        { AU1: { value: 0, intensity: 1 }, AU12: { value: 1, intensity: 3 } },
        { AU1: { value: 1 }, AU12: { value: 0 } },
        {},
      ])
    } finally {
      await fx.remove()
    }
  })

  it("`affect export labels --columns openface` writes OpenFace's names and joins with OpenFace output on frame", async () => {
    const out = join(wb.dir, 'openface.csv')
    const code = await runCli([
      'export',
      'labels',
      '--workspace',
      wb.ctx.requireWorkspace().path,
      '--out',
      out,
      '--columns',
      'openface',
    ])
    expect(code).toBe(0)
    const rows = readCsv(out)
    expect(Object.keys(rows[0])).toEqual([
      'image_id',
      'path',
      'dataset',
      'split',
      'frame',
      'face_id',
      'timestamp',
      'confidence',
      'success',
      'AU01_r',
      'AU12_r',
      'AU01_c',
      'AU12_c',
      'happy',
    ])
    expect(rows.map((r) => [r.frame, r.AU01_r, r.AU12_r, r.AU01_c, r.AU12_c, r.happy])).toEqual([
      ['1', '1', '3', '0', '1', ''],
      ['2', '', '0', '1', '0', ''],
      ['3', '', '', '', '', ''],
      ['', '', '5', '', '1', '1'],
    ])
    // OpenFace's FeatureExtraction writes ", " between columns; its AU values are a tracker's estimates.
    const openface = join(wb.dir, 'SN001_openface.csv')
    writeFileSync(
      openface,
      [
        'frame, face_id, timestamp, confidence, success, AU01_r, AU12_r, AU01_c, AU12_c',
        '1, 0, 0.000, 0.98, 1, 0.40, 2.71, 0.0, 1.0',
        '2, 0, 0.050, 0.97, 1, 1.20, 0.10, 1.0, 0.0',
        '3, 0, 0.100, 0.97, 1, 0.00, 0.00, 0.0, 0.0',
      ].join('\n') + '\n',
    )
    const script = `
import sys, pandas as pd
ours = pd.read_csv(sys.argv[1])
ours = ours[ours['dataset'] == 'disfa']
theirs = pd.read_csv(sys.argv[2], skipinitialspace=True)
joined = ours.merge(theirs, on=['frame', 'face_id'], suffixes=('_coder', '_openface'))
print(joined[['frame', 'AU12_r_coder', 'AU12_r_openface', 'AU12_c_coder', 'AU12_c_openface']].to_json(orient='values'))
`
    const run = spawnSync(PYTHON, ['-c', script, out, openface], { encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual([
      [1, 3, 2.71, 1, 1],
      [2, 0, 0.1, 0, 0],
      [3, null, 0, null, 0],
    ])
  })
})
