import { afterEach, describe, expect, it } from 'vitest'
import { ckplusReader } from './ckplus'
import { collect, values, writeDataset, type Fixture } from './common/test-kit'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

const facs = (...lines: [number, number][]) =>
  lines.map(([au, i]) => `   ${au.toExponential(7)}   ${i.toExponential(7)}`).join('\n') + '\n'

/** Two coded sequences, one with an emotion and FACS, one FACS only, one with a bad emotion code. */
const CKPLUS = {
  'cohn-kanade-images/S005/001/S005_001_00000001.png': null,
  'cohn-kanade-images/S005/001/S005_001_00000011.png': null,
  'cohn-kanade-images/S010/002/S010_002_00000014.png': null,
  'cohn-kanade-images/S011/001/S011_001_00000009.png': null,
  'FACS/S005/001/S005_001_00000011_facs.txt': facs([1, 3], [2, 0], [38, 1]),
  'Emotion/S005/001/S005_001_00000011_emotion.txt': '   3.0000000e+00\n',
  'FACS/S010/002/S010_002_00000014_facs.txt': facs([12, 4], [25, 2]),
  'Emotion/S011/001/S011_001_00000009_emotion.txt': '   9.0000000e+00\n',
  'Emotion/S012/001/S012_001_00000007_emotion.txt': '   5.0000000e+00\n',
}

describe('ckplus format', () => {
  it('labels peak frames: FACS AUs present, other CK+ AUs absent, emotion one-hot or unknown', async () => {
    fx = await writeDataset(CKPLUS)
    expect(await ckplusReader.labelSpace(fx.root, {})).toEqual([
      'angry',
      'disgust',
      'fear',
      'happy',
      'sad',
      'surprise',
      'neutral',
      'contempt',
      'AU1',
      'AU2',
      'AU12',
      'AU25',
    ])
    const { records, issues, byName } = await collect(ckplusReader, fx.root)
    expect(records).toHaveLength(2)
    const s5 = byName.get('S005_001_00000011.png')!
    expect(values(s5)).toEqual({
      angry: 0,
      disgust: 1,
      fear: 0,
      happy: 0,
      sad: 0,
      surprise: 0,
      neutral: 0,
      contempt: 0,
      AU1: 1,
      AU2: 1,
      AU12: 0,
      AU25: 0,
    })
    expect(s5.labels.AU1).toEqual({ value: 1, intensity: 3 })
    // Intensity 0 in a FACS file means present with no intensity given.
    expect(s5.labels.AU2).toEqual({ value: 1 })
    // No Emotion file: the emotion is unknown (no keys), the AUs are known.
    expect(values(byName.get('S010_002_00000014.png'))).toEqual({ AU1: 0, AU2: 0, AU12: 1, AU25: 1 })
    expect(issues.map((i) => [i.reason, i.file.split(/[\\/]/).pop()])).toEqual([
      ['unknown code', 'S005_001_00000011_facs.txt'],
      ['bad label value', 'S011_001_00000009_emotion.txt'],
      ['missing image', 'S012_001_00000007_emotion.txt'],
    ])
    expect(issues[0].detail).toMatch(/AU38/)
  })

  it('imports every frame with allFrames, the uncoded ones with unknown labels', async () => {
    fx = await writeDataset(CKPLUS)
    const { records, byName } = await collect(ckplusReader, fx.root, { allFrames: true })
    expect(records).toHaveLength(4)
    expect(byName.get('S005_001_00000001.png')!.labels).toEqual({})
    expect(byName.get('S011_001_00000009.png')!.labels).toEqual({})
    expect(values(byName.get('S005_001_00000011.png')).disgust).toBe(1)
  })

  it('leaves the AUs of a malformed FACS file unknown and says which line', async () => {
    fx = await writeDataset({
      'cohn-kanade-images/S005/001/S005_001_00000011.png': null,
      'FACS/S005/001/S005_001_00000011_facs.txt': facs([1, 3]) + 'one two\n',
      'Emotion/S005/001/S005_001_00000011_emotion.txt': '1.0\n',
    })
    const { records, issues } = await collect(ckplusReader, fx.root)
    expect(values(records[0])).toMatchObject({ angry: 1 })
    expect(Object.keys(records[0].labels).some((k) => k.startsWith('AU'))).toBe(false)
    expect(issues).toEqual([expect.objectContaining({ reason: 'malformed row', row: 2 })])
  })

  it('keeps FACS intensities 1-5 as A-E; one that is no FACS level leaves that AU present, not coded, and is reported', async () => {
    fx = await writeDataset({
      'cohn-kanade-images/S005/001/S005_001_00000011.png': null,
      'FACS/S005/001/S005_001_00000011_facs.txt': facs([1, 5], [2, 2.5], [12, 7], [25, 0]),
    })
    const { records, issues } = await collect(ckplusReader, fx.root)
    expect(records[0].labels).toMatchObject({
      AU1: { value: 1, intensity: 5 },
      AU2: { value: 1 },
      AU12: { value: 1 },
      AU25: { value: 1 },
    })
    expect(issues.map((i) => [i.reason, i.row, i.column, i.kept])).toEqual([
      ['bad label value', 2, 'intensity', true],
      ['bad label value', 3, 'intensity', true],
    ])
    expect(issues[0].detail).toBe(
      'AU2 intensity 2.5 is no FACS level (0 not given, 1-5 = A-E); AU2 kept present, intensity not coded',
    )
  })

  it('asks for the CK+ folder when cohn-kanade-images is not there', async () => {
    fx = await writeDataset({ 'Emotion/x.txt': '1' })
    await expect(collect(ckplusReader, fx.root)).rejects.toThrow(/cohn-kanade-images/)
  })
})
