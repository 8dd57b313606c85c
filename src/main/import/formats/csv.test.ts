import { afterEach, describe, expect, it } from 'vitest'
import { csvReader } from './csv'
import { collect, reasons, values, writeDataset, type Fixture } from './common/test-kit'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

describe('csv format (default layout, as the workbench exports labels)', () => {
  it('reads path, split and class columns, keeping unknown (empty, ?) apart from absent (0)', async () => {
    fx = await writeDataset({
      'labels.csv': [
        'path,split,happy,sad,AU12,AU 4,comment',
        'img/a.png,train,1,0,1,,first',
        'img/b.png,Validation,0,?,0,1,',
        'img\\c.png,,,,,,windows separators',
        'img/d.png,train,yes,2,1,0,',
        'img/missing.png,test,1,0,,,',
        '../outside.png,train,1,0,,,',
        '/etc/passwd,train,1,0,,,',
        'img/a.png,train,1',
        'img/a.png,holdout,1,0,,,',
      ].join('\n'),
      'img/a.png': null,
      'img/b.png': null,
      'img/c.png': null,
      'img/d.png': null,
      '../outside.png': null,
    })
    expect(await csvReader.labelSpace(fx.root, {})).toEqual(['happy', 'sad', 'AU4', 'AU12'])
    const { records, issues } = await collect(csvReader, fx.root)
    const [a, b, c, d, a2] = records
    expect(values(a)).toEqual({ happy: 1, sad: 0, AU12: 1 })
    expect(a.split).toBe('train')
    expect(a.source).toEqual({ file: 'labels.csv', row: 2 })
    expect(values(b)).toEqual({ happy: 0, AU12: 0, AU4: 1 })
    expect(b.split).toBe('val')
    expect(c.image.type === 'file' && c.image.path).toMatch(/img[\\/]c\.png$/)
    expect(values(c)).toEqual({})
    // Only 1 / 0 / empty / ? are label values: "yes" and "2" are reported and left unknown.
    expect(values(d)).toEqual({ AU12: 1, AU4: 0 })
    expect(a2.split).toBeUndefined()
    expect(records).toHaveLength(5)
    expect(issues.map((i) => [i.reason, i.row, i.column, i.kept])).toEqual([
      ['unknown code', 1, undefined, true],
      ['bad label value', 5, 'happy', true],
      ['bad label value', 5, 'sad', true],
      ['missing image', 6, undefined, undefined],
      ['path escapes root', 7, undefined, undefined],
      ['path escapes root', 8, undefined, undefined],
      ['malformed row', 9, undefined, undefined],
      ['malformed row', 10, 'split', true],
    ])
    expect(issues[0].detail).toMatch(/comment/)
    expect(issues[1].detail).toBe('happy "yes" is not 1, 0, empty or ?; happy left unknown')
    expect(issues[2].detail).toMatch(/sad "2"/)
    expect(issues[4].detail).toMatch(/outside/)
  })

  it('reads AU12_r beside AU12 as the FACS intensity, reporting one that does not fit the label', async () => {
    fx = await writeDataset({
      'labels.csv': ['path,AU12,AU12_r,AU01_r,AU1', 'a.png,1,3,1,0', 'b.png,1,,0,0', 'c.png,0,2,,', 'd.png,1,7,,'].join(
        '\n',
      ),
      'a.png': null,
      'b.png': null,
      'c.png': null,
      'd.png': null,
    })
    const { records, issues } = await collect(csvReader, fx.root)
    expect(records.map((r) => r.labels)).toEqual([
      { AU12: { value: 1, intensity: 3 }, AU1: { value: 0, intensity: 1 } },
      { AU12: { value: 1 }, AU1: { value: 0 } },
      { AU12: { value: 0 } },
      { AU12: { value: 1 } },
    ])
    expect(issues.map((i) => [i.reason, i.row, i.column, i.detail])).toEqual([
      [
        'bad label value',
        4,
        'AU12_r',
        'AU12_r "2" does not fit AU12 absent in the same row; AU12 kept without an intensity',
      ],
      ['bad label value', 5, 'AU12_r', 'AU12_r "7" is not 0-5 (0 absent, 1-5 = A-E); AU12 kept without an intensity'],
    ])
  })

  it('accepts the CSV itself as the root, paths then relative to its folder', async () => {
    fx = await writeDataset({ 'sub/list.csv': 'path,AU12\na.png,1\n', 'sub/a.png': null })
    const { records } = await collect(csvReader, `${fx.root}/sub/list.csv`)
    expect(records.map(values)).toEqual([{ AU12: 1 }])
    expect(records[0].source.file).toBe('list.csv')
  })

  it('names the expected columns when the path column is missing', async () => {
    fx = await writeDataset({ 'labels.csv': 'file,happy\na.png,1\n' })
    const { records, issues } = await collect(csvReader, fx.root)
    expect(records).toEqual([])
    expect(issues).toEqual([
      expect.objectContaining({
        reason: 'wrong header',
        row: 1,
        detail: expect.stringMatching(/expected columns path/),
      }),
    ])
  })

  it('asks which file to read when the folder holds several CSVs', async () => {
    fx = await writeDataset({ 'a.csv': 'path\n', 'b.csv': 'path\n' })
    await expect(collect(csvReader, fx.root)).rejects.toThrow(/a\.csv, b\.csv/)
  })
})

describe('csv format (declared layouts)', () => {
  it('maps declared columns and values, with paths relative to the CSV in a sub-folder', async () => {
    fx = await writeDataset({
      'meta/list.csv': 'image;subset;smile;frown\n../faces/1.png;test;P;N\n../faces/2.png;train;N;-\n'.replace(
        /;/g,
        ',',
      ),
      'faces/1.png': null,
      'faces/2.png': null,
    })
    const options = {
      file: 'meta/list.csv',
      pathColumn: 'image',
      splitColumn: 'subset',
      columns: { smile: 'AU12', frown: 'AU4' },
      values: { P: 1 as const, N: 0 as const, '-': null },
    }
    expect(await csvReader.labelSpace(fx.root, options)).toEqual(['AU4', 'AU12'])
    const { records, issues } = await collect(csvReader, fx.root, options)
    expect(issues).toEqual([])
    expect(records.map(values)).toEqual([{ AU12: 1, AU4: 0 }, { AU12: 0 }])
    expect(records.map((r) => r.split)).toEqual(['test', 'train'])
  })

  it('stores a single label column one-hot, with face box and attributes', async () => {
    fx = await writeDataset({
      'list.csv':
        'path,emotion,face_x,face_y,face_width,face_height,val\n1.png,3,1,2,30,40,0.5\n2.png,0,,,,,\n3.png,9,,,,,\n4.png,,,,,,x\n',
      '1.png': null,
      '2.png': null,
      '3.png': null,
      '4.png': null,
    })
    const options = {
      labelColumn: 'emotion',
      labelCodes: { '0': 'neutral', '3': 'happiness' },
      attributes: { val: 'valence' },
    }
    expect(await csvReader.labelSpace(fx.root, options)).toEqual(['happy', 'neutral'])
    const { records, issues } = await collect(csvReader, fx.root, options)
    // A code labelCodes does not name leaves that image's emotion unknown; the image is still imported.
    expect(records.map(values)).toEqual([{ happy: 1, neutral: 0 }, { happy: 0, neutral: 1 }, {}, {}])
    expect(records[0].faceBox).toEqual({ x: 1, y: 2, width: 30, height: 40 })
    expect(records[0].attributes).toEqual({ valence: 0.5 })
    expect(records[1].faceBox).toBeUndefined()
    expect(records[3].attributes).toBeUndefined()
    expect(issues).toEqual([
      expect.objectContaining({
        reason: 'bad label value',
        row: 4,
        column: 'emotion',
        kept: true,
        detail: expect.stringMatching(/"9"/),
      }),
      expect.objectContaining({
        reason: 'malformed row',
        row: 5,
        column: 'val',
        kept: true,
        detail: expect.stringMatching(/"x" is not a number/),
      }),
    ])
  })

  it('finds the classes of an undeclared label column by reading it', async () => {
    fx = await writeDataset({
      'list.csv': 'path,label\n1.png,Happy\n2.png,sadly_angry\n3.png,fearful\n',
      '1.png': null,
      '2.png': null,
      '3.png': null,
    })
    expect(await csvReader.labelSpace(fx.root, { labelColumn: 'label' })).toEqual(['fear', 'happy', 'sadly_angry'])
    const { records } = await collect(csvReader, fx.root, { labelColumn: 'label' })
    expect(values(records[1])).toEqual({ fear: 0, happy: 0, sadly_angry: 1 })
  })

  it('refuses a declared column mapped to no class', async () => {
    fx = await writeDataset({ 'list.csv': 'path,x\n' })
    await expect(collect(csvReader, fx.root, { columns: { x: 'sleepy' } })).rejects.toThrow(/"sleepy"/)
  })
})

it('keeps reading after a row that is not valid CSV', async () => {
  fx = await writeDataset({ 'l.csv': 'path,happy\na.png,1\n"b.png,1\n', 'a.png': null })
  const { records, issues } = await collect(csvReader, fx.root)
  expect(records).toHaveLength(1)
  expect(reasons(issues)).toEqual(['malformed row'])
})
