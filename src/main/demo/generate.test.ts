import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { parse } from 'csv-parse/sync'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auCode, PAPER_AUS } from '../../shared/labels'
import type { TruthFile } from './dataset-files'
import type { Nuisance } from './face-params'
import { generateDemo, type DemoManifest } from './generate'
import { renderFacePng } from './render'

// The small demo (about 330 faces, under a couple of seconds) generated three times: twice with one
// seed, once with another.

async function filesOf(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await filesOf(p)))
    else out.push(p)
  }
  return out.sort()
}

/** path -> sha256 of every file under dir. */
async function hashes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const f of await filesOf(dir))
    out.set(
      relative(dir, f),
      createHash('sha256')
        .update(await readFile(f))
        .digest('hex'),
    )
  return out
}

type Row = Record<string, string>
const readCsv = async (file: string): Promise<{ header: string[]; rows: Row[] }> => {
  const text = await readFile(file, 'utf8')
  const rows = parse(text, { columns: true }) as Row[]
  return { header: text.split('\n')[0].split(','), rows }
}
const readTruth = async (file: string): Promise<TruthFile> => JSON.parse(await readFile(file, 'utf8')) as TruthFile

describe('generateDemo (small)', () => {
  let root: string
  let first: DemoManifest
  const progress: [number, number][] = []

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'demo-gen-'))
    first = await generateDemo({
      outDir: join(root, 'a'),
      seed: 7,
      size: 'small',
      onProgress: (d, t) => progress.push([d, t]),
    })
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('gives byte-identical files for the same seed and different images for another', async () => {
    await generateDemo({ outDir: join(root, 'b'), seed: 7, size: 'small' })
    await generateDemo({ outDir: join(root, 'c'), seed: 8, size: 'small' })
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => hashes(join(root, d))))
    expect(a.size).toBeGreaterThan(300)
    expect([...b.entries()]).toEqual([...a.entries()])
    const images = [...a.keys()].filter((k) => k.endsWith('.png'))
    const same = images.filter((k) => c.get(k) === a.get(k)).length
    expect(same).toBe(0)
  })

  it('the truth reproduces its image: re-rendering the AUs and nuisance it records gives the same bytes', async () => {
    const d = first.datasets[2]
    const truth = await readTruth(d.truthJson)
    for (const [path, t] of Object.entries(truth.images).slice(0, 5)) {
      const png = await renderFacePng({ aus: t.aus, nuisance: t.nuisance as Nuisance }, { size: truth.imageSize })
      expect(png.equals(await readFile(join(d.dir, path))), path).toBe(true)
    }
  })

  it('writes 64 x 64 RGB PNGs', async () => {
    const meta = await sharp(join(first.datasets[0].dir, 'images', '000001.png')).metadata()
    expect([meta.width, meta.height, meta.channels, meta.format]).toEqual([64, 64, 3, 'png'])
  })

  it('reports progress up to the number of faces', () => {
    expect(progress.at(-1)).toEqual([first.faces, first.faces])
    expect(first.faces).toBeGreaterThanOrEqual(200)
    expect(first.faces).toBeLessThanOrEqual(500)
  })

  it('split counts add up to the images, the CSV rows and the truth entries of every dataset', async () => {
    expect(first.datasets.map((d) => d.name)).toEqual(['demo-emotion', 'demo-au', 'demo-compound'])
    for (const d of first.datasets) {
      const { rows } = await readCsv(d.labelsCsv)
      const truth = await readTruth(d.truthJson)
      const images = await readdir(join(d.dir, 'images'))
      expect(d.counts.train + d.counts.val + d.counts.test).toBe(d.counts.total)
      expect(rows.length).toBe(d.counts.total)
      expect(images.length).toBe(d.counts.total)
      expect(Object.keys(truth.images).length).toBe(d.counts.total)
      for (const s of ['train', 'val', 'test'] as const) {
        expect(d.counts[s], `${d.name} ${s}`).toBeGreaterThan(0)
        expect(rows.filter((r) => r.split === s).length).toBe(d.counts[s])
      }
    }
  })

  it('demo-emotion labels.csv has one-hot emotion columns and no AU column, while its truth knows the AUs', async () => {
    const d = first.datasets[0]
    const { header, rows } = await readCsv(d.labelsCsv)
    expect(header).toEqual(['path', 'split', 'angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'])
    expect(header.filter((h) => /^au/i.test(h))).toEqual([])
    const truth = await readTruth(d.truthJson)
    for (const r of rows) {
      const on = d.classCodes.filter((c) => r[c] === '1')
      expect(on).toEqual([truth.images[r.path].emotion])
      expect(d.classCodes.filter((c) => r[c] === '0').length).toBe(6)
    }
    const happy = rows.filter((r) => r.happy === '1').map((r) => truth.images[r.path])
    expect(happy.filter((t) => t.aus['12'] >= 1).length / happy.length).toBeGreaterThan(0.7)
    const neutral = rows.filter((r) => r.neutral === '1').map((r) => truth.images[r.path])
    expect(neutral.every((t) => Object.keys(t.aus).length === 0)).toBe(true)
  })

  it("demo-au labels the paper's 11 AUs from the truth, unknown exactly where an occluder hides one", async () => {
    const d = first.datasets[1]
    const { header, rows } = await readCsv(d.labelsCsv)
    expect(header).toEqual(['path', 'split', ...PAPER_AUS.map(auCode)])
    const truth = await readTruth(d.truthJson)
    for (const r of rows) {
      const t = truth.images[r.path]
      expect(t.emotion).toBeNull()
      for (const au of PAPER_AUS) {
        const cell = r[auCode(au)]
        const expected = t.occluded.includes(au) ? '' : (t.aus[au] ?? 0) > 0 ? '1' : '0'
        expect(cell, `${r.path} AU${au}`).toBe(expected)
      }
    }
    for (const au of PAPER_AUS)
      expect(
        rows.some((r) => r[auCode(au)] === '1'),
        `AU${au} never present`,
      ).toBe(true)
  })

  it('demo-compound has one column per compound plus the AU columns', async () => {
    const d = first.datasets[2]
    const { header, rows } = await readCsv(d.labelsCsv)
    const compounds = d.classCodes.filter((c) => !c.startsWith('AU'))
    expect(compounds).toContain('happily_surprised')
    expect(header).toEqual(['path', 'split', ...compounds, ...PAPER_AUS.map(auCode)])
    const truth = await readTruth(d.truthJson)
    for (const r of rows) expect(compounds.filter((c) => r[c] === '1')).toEqual([truth.images[r.path].compound])
  })
})
