import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import { emotionetReader } from './emotionet'
import { auValue, urlFileName } from './emotionet-files'
import { collect, values, writeDataset, type Fixture } from './common/test-kit'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

/** The manual set's layout: URL, then 'AU 1' ... with the quotes in the header. */
async function manualXlsx(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('Sheet1')
  sheet.addRow(['URL', "'AU 1'", "'AU 2'", "'AU 12'", "'AU 43'"])
  for (const r of rows) sheet.addRow(r)
  return Buffer.from(await book.xlsx.writeBuffer())
}

describe('emotionet values', () => {
  it('keeps 0 and 1, calls 999, -1 and blank not coded, and anything else no EmotioNet value', () => {
    expect([0, 1, '0', ' 1 ', 999, '999', -1, '', null].map(auValue)).toEqual([
      0,
      1,
      0,
      1,
      null,
      null,
      null,
      null,
      null,
    ])
    expect(['x', 2, 'yes', '0.5'].map(auValue)).toEqual([undefined, undefined, undefined, undefined])
  })
  it('finds the local file name of a URL', () => {
    expect(urlFileName('http://a.example/x/y/face%201.jpg?size=2')).toBe('face 1.jpg')
    expect(urlFileName('images/z.png')).toBe('z.png')
  })
})

describe('emotionet manual set (xlsx)', () => {
  it('maps URLs to fetched images by name and keeps 999 / -1 / blank unknown', async () => {
    fx = await writeDataset({
      'emotionet_facs_24600.xlsx': await manualXlsx([
        ['http://x.example/a/1.jpg', 1, 0, 999, -1],
        [{ text: 'http://x.example/b/2.jpg', hyperlink: 'http://x.example/b/2.jpg' }, 0, null, 1, 0],
        ['http://x.example/c/3.jpg', 1, 1, 1, 1],
        ['http://x.example/d/..', 1, 1, 1, 1],
      ]),
      'images/1.jpg': null,
      'images/2.jpg': null,
    })
    expect(await emotionetReader.labelSpace(fx.root, {})).toEqual(['AU1', 'AU2', 'AU12', 'AU43'])
    const { records, issues, byName } = await collect(emotionetReader, fx.root)
    expect(values(byName.get('1.jpg'))).toEqual({ AU1: 1, AU2: 0 })
    expect(values(byName.get('2.jpg'))).toEqual({ AU1: 0, AU12: 1, AU43: 0 })
    expect(records[0].source).toEqual({ file: 'emotionet_facs_24600.xlsx', row: 2 })
    expect(issues.map((i) => [i.reason, i.row])).toEqual([
      ['missing image', 4],
      ['malformed row', 5],
    ])
  })

  it('reports a sheet without the URL column as a wrong header', async () => {
    const book = new ExcelJS.Workbook()
    book.addWorksheet('s').addRow(['link', 'AU1'])
    fx = await writeDataset({ 'set.xlsx': Buffer.from(await book.xlsx.writeBuffer()) })
    const { issues } = await collect(emotionetReader, fx.root)
    expect(issues).toEqual([
      expect.objectContaining({ reason: 'wrong header', detail: expect.stringContaining("'AU 1'") }),
    ])
  })
})

describe('emotionet challenge lists and image lists', () => {
  it('reads AUs by position from tab-separated lines, images from the imagesDir option', async () => {
    const au = (coded: Record<number, number>) => Array.from({ length: 60 }, (_, k) => coded[k + 1] ?? 999).join('\t')
    fx = await writeDataset({
      'challenge_1.txt': [
        `http://e.example/p/a.jpg\t17\t${au({ 1: 1, 4: 0, 12: 1 })}`,
        `http://e.example/p/b.jpg\t18\t${au({ 26: 0, 3: 1 })}`,
        'only-a-url',
      ].join('\n'),
      'fetched/a.jpg': null,
      'fetched/b.jpg': null,
    })
    const options = { imagesDir: 'fetched' }
    // AU3 is coded but is no catalogue class; every other AU stays 999 in the whole list.
    expect(await emotionetReader.labelSpace(fx.root, options)).toEqual(['AU1', 'AU4', 'AU12', 'AU26'])
    const { records, issues, byName } = await collect(emotionetReader, fx.root, options)
    expect(values(byName.get('a.jpg'))).toEqual({ AU1: 1, AU4: 0, AU12: 1 })
    expect(values(byName.get('b.jpg'))).toEqual({ AU26: 0 })
    expect(records).toHaveLength(2)
    expect(issues).toEqual([expect.objectContaining({ reason: 'malformed row', row: 3 })])
  })

  it('reads image_list csv paths relative to the list and refuses paths outside the root', async () => {
    fx = await writeDataset({
      'image_list_val.csv': 'path,AU1,AU2,AU60\nimgs/a.png,1,-1,1\nimgs/b.png,,0,0\n../../x.png,1,1,1\n',
      'imgs/a.png': null,
      'imgs/b.png': null,
    })
    const { records, issues } = await collect(emotionetReader, fx.root)
    expect(records.map(values)).toEqual([{ AU1: 1 }, { AU2: 0 }])
    expect(issues.map((i) => i.reason)).toEqual(['path escapes root'])
    await expect(emotionetReader.labelSpace(fx.root, { file: 'nothing.txt' })).rejects.toThrow(/nothing\.txt/)
  })
})
