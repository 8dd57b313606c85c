import { afterEach, describe, expect, it } from 'vitest'
import { disfaReader } from './disfa'
import { collect, writeDataset, type Fixture } from './common/test-kit'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

describe('disfa format', () => {
  it('binarises intensity at 2 (1 is absent, 2 present), keeps the intensity as FACS A-E (0 is none) and finds padded frame names', async () => {
    fx = await writeDataset({
      'ActionUnit_Labels/SN001/SN001_au1.txt': '1,0\n2,1\n3,2\n4,5\n',
      'ActionUnit_Labels/SN001/SN001_au12.txt': '1,3\n2,0\n3,7\n4,x\n',
      'ActionUnit_Labels/SN002/SN002_au1.txt': '1,4\n',
      'ActionUnit_Labels/SN003/SN003_au3.txt': '1,4\n',
      'Images/SN001/00001.png': null,
      'Images/SN001/00002.png': null,
      'Images/SN001/00003.jpg': null,
    })
    expect(await disfaReader.labelSpace(fx.root, {})).toEqual(['AU1', 'AU12'])
    const { records, issues } = await collect(disfaReader, fx.root)
    expect(records.map((r) => r.labels)).toEqual([
      { AU1: { value: 0 }, AU12: { value: 1, intensity: 3 } },
      // A trace (1, A) is absent for DISFA, with its A kept.
      { AU1: { value: 0, intensity: 1 }, AU12: { value: 0 } },
      // AU12 coded 7 is no DISFA intensity: unknown, not absent.
      { AU1: { value: 1, intensity: 2 } },
    ])
    expect(records[2].image.type === 'file' && records[2].image.path).toMatch(/00003\.jpg$/)
    expect(issues.map((i) => [i.reason, i.row])).toEqual([
      ['bad label value', 3],
      ['bad label value', 4],
      ['missing image', 4],
      ['missing image', undefined],
      ['unknown code', undefined],
    ])
    expect(issues[3].detail).toMatch(/Images[\\/]SN002/)
  })

  it('shifts frame numbers by frameOffset and reads images from imagesDir', async () => {
    fx = await writeDataset({ 'ActionUnit_Labels/SN001/SN001_au25.txt': '1,2\n', 'frames/SN001/frame_0.png': null })
    const { records } = await collect(disfaReader, fx.root, { imagesDir: 'frames', frameOffset: -1 })
    expect(records.map((r) => r.labels)).toEqual([{ AU25: { value: 1, intensity: 2 } }])
    await expect(collect(disfaReader, fx.root, { imagesDir: '../..' })).rejects.toThrow(/outside/)
  })
})
