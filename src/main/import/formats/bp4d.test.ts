import { afterEach, describe, expect, it } from 'vitest'
import { bp4dReader } from './bp4d'
import { collect, values, writeDataset, type Fixture } from './common/test-kit'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.remove()
  fx = undefined
})

describe('bp4d format', () => {
  it('reads 0/1 per AU column, keeps 9 (not coded) unknown and matches padded frame names', async () => {
    fx = await writeDataset({
      'AUCoding/AU_OCC/F001_T1.csv':
        '0,1,2,3,4,12,99\n1,1,0,1,9,0,9\n2,9,9,9,9,9,9\n3,0,1,0,5,1,0\nx,1,1,1,1,1,1\n4,1,1,1,1,1,1\n',
      'AUCoding/AU_OCC/F002_T8.csv': '0,1,2\n10,1,1\n',
      'AUCoding/AU_OCC/notes.csv': 'frame,AU17\n1,1\n',
      'AUCoding/AU_OCC/F003_T1.csv': 'frame,happy\n1,1\n',
      'Sequences/F001/T1/0001.jpg': null,
      'Sequences/F001/T1/0002.jpg': null,
      'Sequences/F001/T1/003.jpg': null,
    })
    // AU3 and AU99 are no catalogue classes; notes.csv is no F001_T1.csv coding file.
    expect(await bp4dReader.labelSpace(fx.root, {})).toEqual(['AU1', 'AU2', 'AU4', 'AU12'])
    const { records, issues } = await collect(bp4dReader, fx.root)
    expect(records.map(values)).toEqual([{ AU1: 1, AU2: 0, AU12: 0 }, {}, { AU1: 0, AU2: 1, AU12: 1 }])
    expect(records[2].image.type === 'file' && records[2].image.path).toMatch(/003\.jpg$/)
    expect(issues.map((i) => [i.reason, i.file.split(/[\\/]/).pop(), i.row])).toEqual([
      ['bad label value', 'F001_T1.csv', 4],
      ['malformed row', 'F001_T1.csv', 5],
      ['missing image', 'F001_T1.csv', 6],
      ['missing image', 'F002_T8.csv', undefined],
      ['wrong header', 'F003_T1.csv', 1],
      ['malformed row', 'notes.csv', undefined],
    ])
    expect(issues[0]).toMatchObject({ column: '4', kept: true, detail: 'AU4 "5" is not 0, 1 or 9; left unknown' })
  })
})
