import { afterEach, describe, expect, it } from 'vitest'
import { affectnetReader } from './affectnet'
import { collect, values, writeDataset, type Fixture } from './common/test-kit'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

const HEADER = 'subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal'
const LM = '"10.5;20.5;30.1;40.2"'

describe('affectnet format', () => {
  it('keeps 8-9 as faces with unknown emotion, refuses 10 as not a face and leaves -2 out', async () => {
    fx = await writeDataset({
      'training.csv': [
        HEADER,
        `689/a.jpg,10,12,200,210,${LM},1,0.8,0.25`,
        `689/b.jpg,0,0,100,100,${LM},8,-2,-2`,
        `689/c.jpg,0,0,100,100,${LM},9,0.1,-2`,
        `689/d.jpg,0,0,100,100,${LM},10,-2,-2`,
        `689/e.jpg,0,0,100,100,${LM},12,0,0`,
        `689/missing.jpg,0,0,100,100,${LM},3,0,0`,
        `../../x.jpg,0,0,100,100,${LM},3,0,0`,
        `689/a.jpg,0,0`,
      ].join('\n'),
      'validation.csv': `${HEADER}\n1/v.png,1,1,5,5,${LM},7,-0.5,0.5\n`,
      'Manually_Annotated_Images/689/a.jpg': null,
      'Manually_Annotated_Images/689/b.jpg': null,
      'Manually_Annotated_Images/689/c.jpg': null,
      'Manually_Annotated_Images/689/d.jpg': null,
      'Manually_Annotated_Images/689/e.jpg': null,
      'Manually_Annotated_Images/1/v.png': null,
    })
    expect(await affectnetReader.labelSpace(fx.root, {})).toEqual([
      'angry',
      'disgust',
      'fear',
      'happy',
      'sad',
      'surprise',
      'neutral',
      'contempt',
    ])
    const { records, issues, byName } = await collect(affectnetReader, fx.root)
    const a = byName.get('a.jpg')!
    expect(values(a)).toEqual({ angry: 0, disgust: 0, fear: 0, happy: 1, sad: 0, surprise: 0, neutral: 0, contempt: 0 })
    expect(a.faceBox).toEqual({ x: 10, y: 12, width: 200, height: 210 })
    expect(a.attributes).toEqual({ valence: 0.8, arousal: 0.25 })
    expect(a.split).toBe('train')
    expect(byName.get('b.jpg')!.labels).toEqual({})
    expect(byName.get('b.jpg')!.attributes).toBeUndefined()
    expect(byName.get('c.jpg')!.attributes).toEqual({ valence: 0.1 })
    expect(values(byName.get('v.png')).contempt).toBe(1)
    expect(byName.get('v.png')!.split).toBe('val')
    // Expression 12 is no AffectNet code: reported, and that face imported with its emotion unknown.
    expect(byName.get('e.jpg')!.labels).toEqual({})
    expect(records).toHaveLength(5)
    expect(issues.map((i) => [i.reason, i.row, i.column])).toEqual([
      ['not a face', 5, undefined],
      ['bad label value', 6, 'expression'],
      ['missing image', 7, undefined],
      ['path escapes root', 8, undefined],
      ['malformed row', 9, undefined],
    ])
  })

  it('reads a list without a header row and reports a foreign header', async () => {
    fx = await writeDataset({
      'lists/validation.csv': `1/v.png,1,1,5,5,${LM},4,0,0\n`,
      'Manually_Annotated_Images/1/v.png': null,
      'other.csv': 'image,label\n',
    })
    // Given the list itself, its folder is the root: an images folder above it is refused.
    await expect(
      collect(affectnetReader, `${fx.root}/lists/validation.csv`, { imagesDir: '../Manually_Annotated_Images' }),
    ).rejects.toThrow(/outside the dataset folder/)
    const fromRoot = await collect(affectnetReader, fx.root, { file: 'lists/validation.csv' })
    expect(values(fromRoot.records[0]).fear).toBe(1)
    const foreign = await collect(affectnetReader, fx.root, { file: 'other.csv' })
    expect(foreign.issues).toEqual([
      expect.objectContaining({
        reason: 'wrong header',
        detail: expect.stringContaining('subDirectory_filePath,face_x'),
      }),
    ])
  })
})
