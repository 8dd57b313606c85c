import { afterEach, describe, expect, it } from 'vitest'
import { folderReader } from './folder'
import { sfewReader } from './sfew'
import { collect, reasons, values, writeDataset, type Fixture } from './common/test-kit'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

describe('folder format', () => {
  it('labels each image by its class folder, one-hot over the emotion folders, and skips unknown folders', async () => {
    fx = await writeDataset({
      'Happy/a.png': null,
      'Happy/nested/b.jpg': null,
      'sad/c.jpeg': null,
      'fearful/d.webp': null,
      'AU12/e.bmp': null,
      'happily_surprised/f.png': null,
      'Smirk/g.png': null,
      'Happy/notes.txt': 'x',
      'Happy/._a.png': 'mac resource fork',
      'loose.png': null,
    })
    expect(await folderReader.labelSpace(fx.root, {})).toEqual(['fear', 'happy', 'sad', 'AU12', 'happily_surprised'])
    const { records, issues, byName } = await collect(folderReader, fx.root)
    expect(records).toHaveLength(6)
    expect(values(byName.get('a.png'))).toEqual({ fear: 0, happy: 1, sad: 0, happily_surprised: 0 })
    expect(values(byName.get('b.jpg'))).toEqual(values(byName.get('a.png')))
    expect(values(byName.get('d.webp'))).toMatchObject({ fear: 1, happy: 0 })
    // An AU folder says the AU is present and nothing about the emotion or other AUs.
    expect(values(byName.get('e.bmp'))).toEqual({ AU12: 1 })
    expect(values(byName.get('f.png'))).toEqual({ fear: 0, happy: 0, sad: 0, happily_surprised: 1 })
    expect(byName.get('a.png')!.image).toEqual({ type: 'file', path: expect.stringMatching(/Happy[\\/]a\.png$/) })
    expect(issues).toEqual([
      expect.objectContaining({ reason: 'unknown code', file: 'Smirk' }),
      expect.objectContaining({ reason: 'unlabelled', file: 'loose.png' }),
    ])
  })

  it('refuses a root that does not exist', async () => {
    await expect(collect(folderReader, '/no/such/dataset')).rejects.toThrow(/does not exist/)
  })
})

describe('sfew format', () => {
  it('reads Train/Val class folders with their splits and Test as unlabelled test images', async () => {
    fx = await writeDataset({
      'Train/Train_Aligned_Faces/Angry/1.png': null,
      'Train/Train_Aligned_Faces/Surprise/2.png': null,
      'Val/Val_Aligned_Faces/Neutral/3.png': null,
      'Val/Val_Aligned_Faces/Bored/4.png': null,
      'Test/Test_Aligned_Faces/5.png': null,
    })
    expect(await sfewReader.labelSpace(fx.root, {})).toEqual([
      'angry',
      'disgust',
      'fear',
      'happy',
      'sad',
      'surprise',
      'neutral',
    ])
    const { records, issues, byName } = await collect(sfewReader, fx.root)
    expect(records.map((r) => r.split)).toEqual(['train', 'train', 'val', 'test'])
    expect(values(byName.get('1.png'))).toEqual({
      angry: 1,
      disgust: 0,
      fear: 0,
      happy: 0,
      sad: 0,
      surprise: 0,
      neutral: 0,
    })
    expect(values(byName.get('3.png')).neutral).toBe(1)
    expect(byName.get('5.png')!.labels).toEqual({})
    expect(reasons(issues)).toEqual(['unknown code'])
    expect(issues[0].file).toMatch(/Bored$/)
  })

  it('says which folders it looked for when none is there', async () => {
    fx = await writeDataset({ 'other/x.png': null })
    await expect(collect(sfewReader, fx.root)).rejects.toThrow(/Train_Aligned_Faces/)
  })
})
