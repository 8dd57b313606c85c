import { afterEach, describe, expect, it } from 'vitest'
import { fer2013Reader, parsePixels } from './fer2013'
import { ferplusReader } from './ferplus'
import { votesToLabels } from './ferplus-votes'
import { collect, reasons, values, writeDataset, type Fixture } from './common/test-kit'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

/** 2304 grey values; the first pixel is `first` so rows can be told apart. */
const pixels = (first: number): string => [first, ...Array.from({ length: 2303 }, (_, i) => i % 256)].join(' ')

const FER_ROWS = [
  'emotion,pixels,Usage',
  `3,${pixels(10)},Training`,
  `0,${pixels(11)},PublicTest`,
  `6,${pixels(12)},PrivateTest`,
  `7,${pixels(13)},Training`,
  `2,1 2 3,Training`,
  `5,${pixels(15)},Elsewhere`,
]

describe('fer2013 format', () => {
  it('turns each row into 48x48 grey pixels with a one-hot emotion and the split from Usage', async () => {
    fx = await writeDataset({ 'fer2013.csv': FER_ROWS.join('\n') + '\n' })
    expect(await fer2013Reader.labelSpace(fx.root, {})).toEqual([
      'angry',
      'disgust',
      'fear',
      'happy',
      'sad',
      'surprise',
      'neutral',
    ])
    const { records, issues, byName } = await collect(fer2013Reader, fx.root)
    expect(records.map((r) => r.split)).toEqual(['train', 'val', 'test', 'train', undefined])
    const first = byName.get('fer0000000')!
    expect(values(first)).toEqual({ angry: 0, disgust: 0, fear: 0, happy: 1, sad: 0, surprise: 0, neutral: 0 })
    expect(first.image).toMatchObject({ type: 'pixels', width: 48, height: 48, channels: 1 })
    expect(
      first.image.type === 'pixels' && [first.image.data.length, first.image.data[0], first.image.data[2]],
    ).toEqual([2304, 10, 1])
    expect(values(byName.get('fer0000001')).angry).toBe(1)
    // Names follow the data row even across skipped rows, as FER+ names them.
    expect([...byName.keys()]).toEqual(['fer0000000', 'fer0000001', 'fer0000002', 'fer0000003', 'fer0000005'])
    // Emotion 7 is no FER2013 code: reported, and that face imported with its emotion unknown.
    expect(byName.get('fer0000003')!.labels).toEqual({})
    expect(issues.map((i) => [i.reason, i.row, i.column, i.kept])).toEqual([
      ['bad label value', 5, 'emotion', true],
      ['malformed row', 6, 'pixels', undefined],
      ['malformed row', 7, 'Usage', true],
    ])
  })

  it('reports a wrong header naming the expected columns', async () => {
    fx = await writeDataset({ 'fer2013.csv': 'label,image\n3,1 2\n' })
    const { records, issues } = await collect(fer2013Reader, fx.root)
    expect(records).toEqual([])
    expect(issues).toEqual([
      expect.objectContaining({ reason: 'wrong header', detail: expect.stringContaining('emotion,pixels,Usage') }),
    ])
  })

  it('rejects pixel text that is not 2304 values 0-255', () => {
    expect(parsePixels(pixels(0))).toBeDefined()
    expect(parsePixels(pixels(256))).toBeUndefined()
    expect(parsePixels(pixels(0) + ' 1')).toBeUndefined()
    expect(parsePixels(pixels(0).replace('0 ', 'x '))).toBeUndefined()
  })
})

describe('ferplus votes', () => {
  const codes = ['neutral', 'happy', 'surprise', 'sad', 'angry', 'disgust', 'fear', 'contempt']
  it('takes the emotion with most votes and keeps each share as a soft label', () => {
    const out = votesToLabels([4, 0, 0, 1, 3, 2, 0, 0, 0, 0], codes, 'most-votes')
    expect(out.kind).toBe('emotion')
    if (out.kind !== 'emotion') return
    expect(out.labels.neutral).toEqual({ value: 1, soft: 0.4 })
    expect(out.labels.angry).toEqual({ value: 0, soft: 0.3 })
  })
  it('calls ties and an unknown majority unknown, and an NF majority not a face', () => {
    expect(votesToLabels([4, 6, 0, 0, 0, 0, 0, 0, 0, 0], codes, 'most-votes').kind).toBe('emotion')
    expect(votesToLabels([5, 5, 0, 0, 0, 0, 0, 0, 0, 0], codes, 'most-votes').kind).toBe('unknown')
    expect(votesToLabels([2, 2, 0, 0, 0, 0, 0, 0, 6, 0], codes, 'most-votes').kind).toBe('unknown')
    expect(votesToLabels([0, 0, 0, 0, 0, 0, 0, 0, 0, 10], codes, 'most-votes').kind).toBe('not a face')
  })
  it('over-half follows the FER+ reference: single votes dropped, more than half needed', () => {
    expect(votesToLabels([4, 0, 0, 1, 3, 2, 0, 0, 0, 0], codes, 'over-half').kind).toBe('unknown')
    expect(votesToLabels([5, 1, 1, 1, 2, 0, 0, 0, 0, 0], codes, 'over-half').kind).toBe('emotion')
  })
})

describe('ferplus format', () => {
  const header = 'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF'
  const votes = [
    header,
    'Training,fer0000000.png,0,10,0,0,0,0,0,0,0,0',
    'PublicTest,fer0000001.png,5,5,0,0,0,0,0,0,0,0',
    'Training,,0,0,0,0,0,0,0,0,0,10',
    'PrivateTest,fer0000003.png,1,0,0,0,0,0,0,8,1,0',
    'Training,fer0000004.png,0,0,0,0,10,0,0,0,0,0',
    'Training,fer0000005.png,x,0,0,9,0,0,0,0,1,0',
  ]

  it('aligns the votes with fer2013.csv row by row', async () => {
    fx = await writeDataset({ 'fer2013new.csv': votes.join('\n') + '\n', 'fer2013.csv': FER_ROWS.join('\n') + '\n' })
    expect(await ferplusReader.labelSpace(fx.root, {})).toHaveLength(8)
    const { records, issues, byName } = await collect(ferplusReader, fx.root)
    expect([...byName.keys()]).toEqual(['fer0000000', 'fer0000001', 'fer0000003', 'fer0000005'])
    const happy = byName.get('fer0000000')!
    expect(happy.labels.happy).toEqual({ value: 1, soft: 1 })
    expect(happy.labels.neutral).toEqual({ value: 0, soft: 0 })
    expect(happy.image.type === 'pixels' && happy.image.data[0]).toBe(10)
    expect(happy.split).toBe('train')
    // A tie is unknown: no emotion keys at all, not eight zeros.
    expect(byName.get('fer0000001')!.labels).toEqual({})
    expect(values(byName.get('fer0000003'))).toMatchObject({ contempt: 1, neutral: 0 })
    expect(
      byName.get('fer0000003')!.image.type === 'pixels' &&
        (byName.get('fer0000003')!.image as { data: Uint8Array }).data[0],
    ).toBe(13)
    // Votes that are no counts leave that face's emotion unknown; the face is still imported.
    expect(byName.get('fer0000005')!.labels).toEqual({})
    expect(records).toHaveLength(4)
    expect(issues.map((i) => [i.reason, i.row, i.column])).toEqual([
      ['not a face', 4, undefined],
      ['malformed row', 6, undefined],
      ['bad label value', 7, 'neutral'],
    ])
    expect(issues[1].detail).toMatch(/pixels/)
    expect(issues[2].detail).toBe('neutral "x" is not a vote count; the image was imported with its emotion unknown')
  })

  it('says when fer2013.csv ends early and when a header is wrong', async () => {
    fx = await writeDataset({
      'fer2013new.csv': votes.slice(0, 3).join('\n'),
      'fer2013.csv': FER_ROWS.slice(0, 2).join('\n'),
    })
    const short = await collect(ferplusReader, fx.root)
    expect(short.records).toHaveLength(1)
    expect(short.issues.map((i) => i.detail)).toEqual([expect.stringMatching(/not aligned/)])
    await fx.remove()
    fx = await writeDataset({ 'fer2013new.csv': 'Usage,Image name,happy\n', 'fer2013.csv': FER_ROWS.join('\n') })
    expect(reasons((await collect(ferplusReader, fx.root)).issues)).toEqual(['wrong header'])
  })
})
