import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import type { DatasetReader, ReaderOptions } from '../record'
import { FORMATS } from './index'
import { collect, values, writeDataset, type Fixture } from './common/test-kit'

// What the readers say about label files that are broken in the ways users meet (issue 10, item
// 10): every message names the file, the line as an editor shows it and the column, and says what
// is wrong; a value is never guessed, and a 50 MB cell is never repeated whole.

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

const pixels = (first: number): string => [first, ...Array.from({ length: 2303 }, (_, i) => i % 256)].join(' ')
const FERPLUS_HEADER = 'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF'
const AFFECTNET_HEADER =
  'subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal'

async function issuesOf(
  reader: DatasetReader,
  files: Record<string, string | Buffer | null>,
  options: ReaderOptions = {},
) {
  fx = await writeDataset(files)
  const got = await collect(reader, fx.root, options)
  await fx.remove()
  fx = undefined
  return got
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('Sheet1')
  for (const r of rows) sheet.addRow(r)
  return Buffer.from(await book.xlsx.writeBuffer())
}

describe('an empty label file, or one with a header and no data rows, is named as such', () => {
  type Case = [
    what: string,
    format: keyof typeof FORMATS,
    file: string,
    says: 'is empty' | 'has a header but no data rows',
    files: Record<string, string | Buffer | null>,
  ]
  const cases: Case[] = [
    ['fer2013', 'fer2013', 'fer2013.csv', 'is empty', { 'fer2013.csv': '' }],
    ['fer2013', 'fer2013', 'fer2013.csv', 'has a header but no data rows', { 'fer2013.csv': 'emotion,pixels,Usage\n' }],
    [
      'ferplus votes',
      'ferplus',
      'fer2013new.csv',
      'is empty',
      { 'fer2013new.csv': '', 'fer2013.csv': `emotion,pixels\n3,${pixels(1)}\n` },
    ],
    [
      'ferplus votes',
      'ferplus',
      'fer2013new.csv',
      'has a header but no data rows',
      { 'fer2013new.csv': `${FERPLUS_HEADER}\n`, 'fer2013.csv': `emotion,pixels\n3,${pixels(1)}\n` },
    ],
    [
      'ferplus pixels',
      'ferplus',
      'fer2013.csv',
      'is empty',
      { 'fer2013new.csv': `${FERPLUS_HEADER}\nTraining,a.png,0,10,0,0,0,0,0,0,0,0\n`, 'fer2013.csv': '' },
    ],
    ['affectnet', 'affectnet', 'training.csv', 'is empty', { 'training.csv': '' }],
    [
      'affectnet',
      'affectnet',
      'training.csv',
      'has a header but no data rows',
      { 'training.csv': `${AFFECTNET_HEADER}\n` },
    ],
    ['bp4d', 'bp4d', 'AUCoding/AU_OCC/F001_T1.csv', 'is empty', { 'AUCoding/AU_OCC/F001_T1.csv': '' }],
    [
      'bp4d',
      'bp4d',
      'AUCoding/AU_OCC/F001_T1.csv',
      'has a header but no data rows',
      { 'AUCoding/AU_OCC/F001_T1.csv': 'frame,1,2\n' },
    ],
    ['emotionet challenge list', 'emotionet', 'challenge.txt', 'is empty', { 'challenge.txt': '' }],
    [
      'emotionet image list',
      'emotionet',
      'image_list_a.csv',
      'has a header but no data rows',
      { 'image_list_a.csv': 'path,AU1\n' },
    ],
    ['csv', 'csv', 'labels.csv', 'is empty', { 'labels.csv': '' }],
    ['csv', 'csv', 'labels.csv', 'has a header but no data rows', { 'labels.csv': 'path,happy\n' }],
    [
      'rafdb',
      'rafdb',
      'basic/EmoLabel/list_patition_label.txt',
      'is empty',
      { 'basic/EmoLabel/list_patition_label.txt': '\n' },
    ],
    [
      'disfa',
      'disfa',
      'ActionUnit_Labels/SN001/SN001_au1.txt',
      'is empty',
      { 'ActionUnit_Labels/SN001/SN001_au1.txt': '' },
    ],
  ]
  for (const [what, format, file, says, files] of cases) {
    it(`${what}: ${says}`, async () => {
      const { records, issues } = await issuesOf(FORMATS[format], files)
      expect(records).toEqual([])
      expect(
        issues.find((i) => i.reason === 'empty file'),
        JSON.stringify(issues),
      ).toMatchObject({ file, detail: expect.stringMatching(new RegExp(`^${file.replace(/[.]/g, '\\.')} ${says}`)) })
    })
  }

  it('emotionet manual set: a workbook with its header and no rows', async () => {
    const { issues } = await issuesOf(FORMATS.emotionet, { 'set.xlsx': await xlsx([['URL', "'AU 1'"]]) })
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'set.xlsx',
        reason: 'empty file',
        detail: expect.stringMatching(/header but no data rows/),
      }),
    ])
  })

  it('says which column a header lacks', async () => {
    const fer = await issuesOf(FORMATS.fer2013, { 'fer2013.csv': `emotion,Usage\n3,Training\n` })
    expect(fer.issues).toEqual([
      expect.objectContaining({
        file: 'fer2013.csv',
        row: 1,
        reason: 'wrong header',
        detail: expect.stringMatching(
          /^lacks column pixels: expected columns emotion,pixels,Usage; found emotion,Usage/,
        ),
      }),
    ])
    const affectnet = await issuesOf(FORMATS.affectnet, { 'training.csv': 'subDirectory_filePath,face_x,expression\n' })
    expect(affectnet.issues[0].detail).toMatch(
      /^lacks columns face_y, face_width, face_height, facial_landmarks, valence, arousal:/,
    )
  })
})

describe('a column that appears twice is refused, naming the column and the file', () => {
  it('csv: the same class twice, by the same or another name', async () => {
    for (const header of ['path,happy,happy', 'path,happy,Happiness']) {
      const { records, issues } = await issuesOf(FORMATS.csv, { 'labels.csv': `${header}\na.png,1,0\n`, 'a.png': null })
      expect(records).toEqual([])
      expect(issues).toEqual([
        expect.objectContaining({
          file: 'labels.csv',
          row: 1,
          reason: 'wrong header',
          detail: expect.stringMatching(/columns 2 and 3\): which one holds the labels is unclear; file skipped$/),
        }),
      ])
    }
    const same = await issuesOf(FORMATS.csv, { 'labels.csv': 'path,happy,happy\na.png,1,0\n', 'a.png': null })
    expect(same.issues[0]).toMatchObject({
      column: 'happy',
      detail: expect.stringMatching(/^column "happy" appears twice/),
    })
    const paths = await issuesOf(FORMATS.csv, { 'labels.csv': 'path,happy,path\na.png,1,b.png\n', 'a.png': null })
    expect(paths.issues[0]).toMatchObject({
      column: 'path',
      detail: expect.stringMatching(/^column "path" appears 2 times \(columns 1, 3\)/),
    })
  })

  it('fer2013, affectnet, bp4d and emotionet image lists', async () => {
    const fer = await issuesOf(FORMATS.fer2013, {
      'fer2013.csv': `emotion,pixels,Usage,emotion\n3,${pixels(1)},Training,4\n`,
    })
    expect(fer.records).toEqual([])
    expect(fer.issues).toEqual([
      expect.objectContaining({ file: 'fer2013.csv', column: 'emotion', reason: 'wrong header' }),
    ])
    const affectnet = await issuesOf(FORMATS.affectnet, { 'training.csv': `${AFFECTNET_HEADER},expression\n` })
    expect(affectnet.issues).toEqual([
      expect.objectContaining({ file: 'training.csv', column: 'expression', reason: 'wrong header' }),
    ])
    const bp4d = await issuesOf(FORMATS.bp4d, {
      'AUCoding/AU_OCC/F001_T1.csv': 'frame,12,AU12\n1,1,0\n',
      'Sequences/F001/T1/1.jpg': null,
    })
    expect(bp4d.records).toEqual([])
    expect(bp4d.issues).toEqual([
      expect.objectContaining({ reason: 'wrong header', detail: expect.stringMatching(/both name AU12/) }),
    ])
    const list = await issuesOf(FORMATS.emotionet, {
      'image_list_a.csv': "path,AU1,'AU 1'\na.png,1,0\n",
      'a.png': null,
    })
    expect(list.records).toEqual([])
    expect(list.issues).toEqual([
      expect.objectContaining({
        file: 'image_list_a.csv',
        reason: 'wrong header',
        detail: expect.stringMatching(/both name AU1/),
      }),
    ])
  })
})

describe('a label value outside the documented ones is reported per row and column and left unknown', () => {
  it('emotionet lists, bp4d and rafdb keep the image with that label unknown', async () => {
    const list = await issuesOf(FORMATS.emotionet, { 'image_list_a.csv': 'path,AU1,AU2\na.png,yes,1\n', 'a.png': null })
    expect(list.records.map(values)).toEqual([{ AU2: 1 }])
    expect(list.issues).toEqual([
      {
        kind: 'issue',
        file: 'image_list_a.csv',
        row: 2,
        column: 'AU1',
        reason: 'bad label value',
        detail: 'AU1 "yes" is not 0, 1, 999, -1 or blank; AU1 left unknown',
        kept: true,
      },
    ])
    const bp4d = await issuesOf(FORMATS.bp4d, {
      'AUCoding/AU_OCC/F001_T1.csv': 'frame,1,2\n1,yes,1\n',
      'Sequences/F001/T1/1.jpg': null,
    })
    expect(bp4d.records.map(values)).toEqual([{ AU2: 1 }])
    expect(bp4d.issues).toEqual([
      expect.objectContaining({ row: 2, column: '1', reason: 'bad label value', kept: true }),
    ])
    const rafdb = await issuesOf(FORMATS.rafdb, {
      'basic/EmoLabel/list_patition_label.txt': 'train_1.jpg yes\n',
      'basic/Image/aligned/train_1_aligned.jpg': null,
    })
    expect(rafdb.records.map((r) => r.labels)).toEqual([{}])
    expect(rafdb.issues).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'label',
        reason: 'bad label value',
        kept: true,
        detail: expect.stringMatching(/^label "yes" is not one of 1 2 3 4 5 6 7;/),
      }),
    ])
  })
})

describe('a huge cell is never repeated whole', () => {
  it('quotes the first 80 characters and counts the rest', async () => {
    const big = 'y'.repeat(2_000_000)
    const { issues } = await issuesOf(FORMATS.csv, {
      'labels.csv': `path,happy\na.png,${big}\n${big}.png,1\n`,
      'a.png': null,
    })
    expect(issues.map((i) => i.reason)).toEqual(['bad label value', 'missing image'])
    expect(issues[0].detail).toBe(
      `happy "${'y'.repeat(80)}..." (2000000 characters) is not 1, 0, empty or ?; happy left unknown`,
    )
    expect(issues[1].detail).toBe(`${'y'.repeat(80)}... (2000004 characters) does not exist`)
  })
})

describe('a file that is not an xlsx workbook', () => {
  it('is named, with what is wrong, instead of "invalid signature"', async () => {
    const { issues } = await issuesOf(FORMATS.emotionet, {
      'emotionet_facs_24600.xlsx': 'URL,AU 1\nhttp://x/a.jpg,1\n',
    })
    expect(issues).toEqual([
      {
        kind: 'issue',
        file: 'emotionet_facs_24600.xlsx',
        reason: 'unreadable file',
        detail: 'emotionet_facs_24600.xlsx is not an xlsx workbook (zip signature missing); file skipped',
      },
    ])
  })

  it('is named when the zip is cut short', async () => {
    const whole = await xlsx([
      ['URL', "'AU 1'"],
      ['http://x/a.jpg', 1],
    ])
    const { issues } = await issuesOf(FORMATS.emotionet, {
      'set.xlsx': whole.subarray(0, Math.floor(whole.length / 2)),
    })
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'set.xlsx',
        reason: 'unreadable file',
        detail: expect.stringMatching(/^set\.xlsx could not be read as an xlsx workbook/),
      }),
    ])
  })
})

describe('label lists saved as UTF-16 or with a byte-order mark read like UTF-8', () => {
  const encodings: Record<string, (text: string) => Buffer> = {
    'UTF-8': (t) => Buffer.from(t, 'utf8'),
    'UTF-8 with BOM': (t) => Buffer.from(`\uFEFF${t}`, 'utf8'),
    'UTF-16 LE with BOM': (t) => Buffer.from(`\uFEFF${t}`, 'utf16le'),
    'UTF-16 BE with BOM': (t) => Buffer.from(`\uFEFF${t}`, 'utf16le').swap16(),
    'UTF-16 LE without BOM': (t) => Buffer.from(t, 'utf16le'),
  }
  for (const [name, encode] of Object.entries(encodings)) {
    it(`RAF-DB, DISFA, CK+ and CSV lists in ${name}`, async () => {
      const rafdb = await issuesOf(FORMATS.rafdb, {
        'basic/EmoLabel/list_patition_label.txt': encode('train_00001.jpg 5\r\ntest_00002.jpg 4\r\n'),
        'basic/Image/aligned/train_00001_aligned.jpg': null,
        'basic/Image/aligned/test_00002_aligned.jpg': null,
      })
      expect(rafdb.issues).toEqual([])
      expect(rafdb.records.map((r) => [r.source.row, values(r).sad, values(r).happy])).toEqual([
        [1, 1, 0],
        [2, 0, 1],
      ])

      const disfa = await issuesOf(FORMATS.disfa, {
        'ActionUnit_Labels/SN001/SN001_au12.txt': encode('1,3\n2,0\n'),
        'Images/SN001/1.png': null,
        'Images/SN001/2.png': null,
      })
      expect(disfa.issues).toEqual([])
      expect(disfa.records.map((r) => r.labels)).toEqual([{ AU12: { value: 1, intensity: 3 } }, { AU12: { value: 0 } }])

      const ckplus = await issuesOf(FORMATS.ckplus, {
        'cohn-kanade-images/S005/001/S005_001_00000011.png': null,
        'Emotion/S005/001/S005_001_00000011_emotion.txt': encode('   3.0000000e+00\n'),
        'FACS/S005/001/S005_001_00000011_facs.txt': encode('   1.0000000e+00   3.0000000e+00\n'),
      })
      expect(ckplus.issues).toEqual([])
      expect(values(ckplus.records[0])).toMatchObject({ disgust: 1, AU1: 1 })

      const csv = await issuesOf(FORMATS.csv, { 'labels.csv': encode('path,happy,sad\na.png,1,0\n'), 'a.png': null })
      expect(csv.issues).toEqual([])
      expect(csv.records.map(values)).toEqual([{ happy: 1, sad: 0 }])
    })
  }
})
