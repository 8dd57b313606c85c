import { afterEach, describe, expect, it } from 'vitest'
import { rafdbReader } from './rafdb'
import { collect, values, writeDataset, type Fixture } from './common/test-kit'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

describe('rafdb format', () => {
  it('reads the label list, prefers aligned images, falls back to originals, splits by name', async () => {
    fx = await writeDataset({
      'basic/EmoLabel/list_patition_label.txt':
        'train_00001.jpg 5\ntrain_00002.jpg 1\ntest_0001.jpg 4\ntest_0002.jpg 8\ntest_0003.jpg\ntest_0004.jpg 7\n../../../../x.jpg 7\n',
      'basic/Image/aligned/train_00001_aligned.jpg': null,
      'basic/Image/original/train_00002.jpg': null,
      'basic/Image/aligned/test_0001_aligned.jpg': null,
    })
    expect(await rafdbReader.labelSpace(fx.root, {})).toEqual([
      'angry',
      'disgust',
      'fear',
      'happy',
      'sad',
      'surprise',
      'neutral',
    ])
    const { records, issues, byName } = await collect(rafdbReader, fx.root)
    expect(values(byName.get('train_00001_aligned.jpg'))).toEqual({
      angry: 0,
      disgust: 0,
      fear: 0,
      happy: 0,
      sad: 1,
      surprise: 0,
      neutral: 0,
    })
    expect(values(byName.get('train_00002.jpg')).surprise).toBe(1)
    expect(values(byName.get('test_0001_aligned.jpg')).happy).toBe(1)
    expect(records.map((r) => r.split)).toEqual(['train', 'train', 'test'])
    expect(issues.map((i) => [i.reason, i.row])).toEqual([
      ['missing image', 4],
      ['malformed row', 5],
      ['missing image', 6],
      ['path escapes root', 7],
    ])
    expect(issues[2].detail).toMatch(/test_0004_aligned\.jpg/)
  })

  it('reads the compound subset, also when given the subset folder itself', async () => {
    fx = await writeDataset({
      'compound/EmoLabel/list_patition_label.txt': 'train_0001.jpg 1\n',
      'compound/Image/aligned/train_0001_aligned.jpg': null,
    })
    for (const root of [fx.root, `${fx.root}/compound`]) {
      const { records } = await collect(rafdbReader, root, { subset: 'compound' })
      expect(values(records[0]).happily_surprised).toBe(1)
      expect(Object.keys(records[0].labels)).toHaveLength(11)
    }
    await expect(collect(rafdbReader, fx.root)).rejects.toThrow(/basic\/EmoLabel/)
  })
})
