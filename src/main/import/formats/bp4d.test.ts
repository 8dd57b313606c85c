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

describe('bp4d intensity files', () => {
  it('merges AU_INT intensities (0 absent, 1-5 = A-E, 9 not coded) into the occurrence labels and reports disagreements', async () => {
    fx = await writeDataset({
      'AUCoding/AU_OCC/F001_T1.csv': 'frame,6,12\n1,1,0\n2,1,9\n3,0,1\n4,9,9\n',
      'AUCoding/AU_INT/AU06/F001_T1_AU06.csv': '1,3\n2,9\n3,2\n4,0\n',
      'AUCoding/AU_INT/AU12/F001_T1_AU12.csv': '1,0\n2,5\n3,x\n4,1\n9,4\n',
      'AUCoding/AU_INT/AU17/F001_T1_AU17.csv': '1,2\n',
      'Sequences/F001/T1/1.jpg': null,
      'Sequences/F001/T1/2.jpg': null,
      'Sequences/F001/T1/3.jpg': null,
      'Sequences/F001/T1/4.jpg': null,
    })
    expect(await bp4dReader.labelSpace(fx.root, {})).toEqual(['AU6', 'AU12', 'AU17'])
    const { records, issues } = await collect(bp4dReader, fx.root)
    expect(records.map((r) => r.labels)).toEqual([
      { AU6: { value: 1, intensity: 3 }, AU12: { value: 0 }, AU17: { value: 1, intensity: 2 } },
      // AU6 9 in the intensity file: the occurrence alone; AU12 9 in AU_OCC, E in AU_INT.
      { AU6: { value: 1 }, AU12: { value: 1, intensity: 5 } },
      // AU6 occurrence 0 but intensity B: the occurrence kept; AU12 "x" reported.
      { AU6: { value: 0 }, AU12: { value: 1 } },
      { AU6: { value: 0 }, AU12: { value: 1, intensity: 1 } },
    ])
    expect(issues.map((i) => [i.reason, i.file.split(/[\\/]/).pop(), i.row])).toEqual([
      ['bad label value', 'F001_T1_AU12.csv', 3],
      ['bad label value', 'F001_T1_AU06.csv', 3],
      ['missing image', 'F001_T1_AU12.csv', undefined],
    ])
    expect(issues[1].detail).toBe(
      'frame 3: AU6 intensity 2 disagrees with occurrence 0 in AU_OCC; the occurrence kept, intensity left out',
    )
    expect(issues[2].detail).toMatch(/^1 frame\(s\) \(first 9\) have no row in AUCoding[\\/]AU_OCC[\\/]F001_T1\.csv/)
  })
})
