import { describe, expect, it } from 'vitest'
import type { LabelClass } from '../labels'
import { choiceConflicts, clearKindChanges, codesInWords, completeChoice, labelChangesFor } from './label-choice'

const classes: LabelClass[] = [
  ...['angry', 'happy', 'sad', 'contempt'].map((code): LabelClass => ({
    code,
    kind: 'emotion',
    name: code,
    description: '',
  })),
  { code: 'AU12', kind: 'au', name: 'Lip Corner Puller', description: '', auNumber: 12 },
  { code: 'happily_surprised', kind: 'compound', name: 'Happily surprised', description: '' },
  { code: 'sadly_angry', kind: 'compound', name: 'Sadly angry', description: '' },
]

describe('labelChangesFor', () => {
  it('sets an AU alone', () => {
    expect(labelChangesFor({ id: 1, labelSpace: ['AU12'], labels: { happy: 1 } }, classes, 'AU12', 1)).toEqual([
      { imageId: 1, code: 'AU12', value: 1 },
    ])
  })

  it('choosing an emotion marks the others of the label space absent, not those outside it', () => {
    const image = { id: 1, labelSpace: ['angry', 'happy', 'sad'], labels: { happy: 1, angry: 0, sad: 0 } as const }
    expect(labelChangesFor(image, classes, 'sad', 1)).toEqual([
      { imageId: 1, code: 'sad', value: 1 },
      { imageId: 1, code: 'happy', value: 0 },
    ])
  })

  it('on a dataset without emotions, the choice is among all of them', () => {
    const changes = labelChangesFor({ id: 2, labelSpace: ['AU12'], labels: {} }, classes, 'happy', 1)
    expect(changes.map((c) => [c.code, c.value])).toEqual([
      ['happy', 1],
      ['angry', 0],
      ['sad', 0],
      ['contempt', 0],
    ])
  })

  it('leaves out changes that alter nothing, and clears a kind to unknown', () => {
    expect(labelChangesFor({ id: 1, labelSpace: ['AU12'], labels: { AU12: 0 } }, classes, 'AU12', 0)).toEqual([])
    expect(
      clearKindChanges(
        { id: 3, labelSpace: [], labels: { happy: 1, sad: 0, AU12: 1, sadly_angry: 0 } },
        classes,
        'emotion',
      ),
    ).toEqual([
      { imageId: 3, code: 'happy', value: null },
      { imageId: 3, code: 'sad', value: null },
    ])
  })
})

describe('the one-emotion rule', () => {
  const image = { id: 5, labelSpace: ['angry', 'happy', 'sad'], labels: { sad: 1, AU12: 1 } as const }
  const wanted = (entries: [string, 0 | 1 | null][]) => new Map(entries)

  it('completes a chosen emotion with the others absent, keeping what the change says itself', () => {
    expect(completeChoice(image, classes, wanted([['happy', 1]]))).toEqual(
      wanted([
        ['happy', 1],
        ['angry', 0],
        ['sad', 0],
      ]),
    )
    expect(
      completeChoice(
        image,
        classes,
        wanted([
          ['happy', 1],
          ['sad', null],
        ]),
      ),
    ).toEqual(
      wanted([
        ['happy', 1],
        ['sad', null],
        ['angry', 0],
      ]),
    )
    // Compounds are their own choice; AUs are not touched.
    expect(
      completeChoice(
        image,
        classes,
        wanted([
          ['happily_surprised', 1],
          ['AU12', 0],
        ]),
      ),
    ).toEqual(
      wanted([
        ['happily_surprised', 1],
        ['AU12', 0],
        ['sadly_angry', 0],
      ]),
    )
  })

  it('refuses two emotions chosen at once, and lets a multi-label image keep several', () => {
    expect(
      completeChoice(
        image,
        classes,
        wanted([
          ['happy', 1],
          ['angry', 1],
        ]),
      ),
    ).toEqual({ imageId: 5, kind: 'emotion', codes: ['happy', 'angry'] })
    expect(
      completeChoice(
        { ...image, multiLabel: true },
        classes,
        wanted([
          ['happy', 1],
          ['angry', 1],
        ]),
      ),
    ).toEqual(
      wanted([
        ['happy', 1],
        ['angry', 1],
      ]),
    )
    expect(labelChangesFor({ ...image, multiLabel: true }, classes, 'happy', 1)).toEqual([
      { imageId: 5, code: 'happy', value: 1 },
    ])
  })

  it('finds two emotions present only in kinds a change made present', () => {
    const after = { happy: 1, sad: 1, AU12: 1 } as const
    expect(choiceConflicts({ id: 5 }, classes, after, ['AU12'])).toEqual([])
    expect(choiceConflicts({ id: 5 }, classes, after, ['happy'])).toEqual([
      { imageId: 5, kind: 'emotion', codes: ['happy', 'sad'] },
    ])
    expect(choiceConflicts({ id: 5, multiLabel: true }, classes, after, ['happy'])).toEqual([])
    expect(codesInWords(['happy', 'sad'])).toBe('happy and sad are both')
    expect(codesInWords(['happy', 'sad', 'angry'])).toBe('happy, sad and angry are all')
  })
})
