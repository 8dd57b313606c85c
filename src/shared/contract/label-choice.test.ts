import { describe, expect, it } from 'vitest'
import type { LabelClass } from '../labels'
import { clearKindChanges, labelChangesFor } from './label-choice'

const classes: LabelClass[] = [
  ...['angry', 'happy', 'sad', 'contempt'].map((code): LabelClass => ({ code, kind: 'emotion', name: code, description: '' })),
  { code: 'AU12', kind: 'au', name: 'Lip Corner Puller', description: '', auNumber: 12 },
  { code: 'happily_surprised', kind: 'compound', name: 'Happily surprised', description: '' },
  { code: 'sadly_angry', kind: 'compound', name: 'Sadly angry', description: '' },
]

describe('labelChangesFor', () => {
  it('sets an AU alone', () => {
    expect(labelChangesFor({ id: 1, labelSpace: ['AU12'], labels: { happy: 1 } }, classes, 'AU12', 1)).toEqual([{ imageId: 1, code: 'AU12', value: 1 }])
  })

  it('choosing an emotion marks the others of the label space absent, not those outside it', () => {
    const image = { id: 1, labelSpace: ['angry', 'happy', 'sad'], labels: { happy: 1, angry: 0, sad: 0 } as const }
    expect(labelChangesFor(image, classes, 'sad', 1)).toEqual([{ imageId: 1, code: 'sad', value: 1 }, { imageId: 1, code: 'happy', value: 0 }])
  })

  it('on a dataset without emotions, the choice is among all of them', () => {
    const changes = labelChangesFor({ id: 2, labelSpace: ['AU12'], labels: {} }, classes, 'happy', 1)
    expect(changes.map((c) => [c.code, c.value])).toEqual([['happy', 1], ['angry', 0], ['sad', 0], ['contempt', 0]])
  })

  it('leaves out changes that alter nothing, and clears a kind to unknown', () => {
    expect(labelChangesFor({ id: 1, labelSpace: ['AU12'], labels: { AU12: 0 } }, classes, 'AU12', 0)).toEqual([])
    expect(clearKindChanges({ id: 3, labelSpace: [], labels: { happy: 1, sad: 0, AU12: 1, sadly_angry: 0 } }, classes, 'emotion')).toEqual([
      { imageId: 3, code: 'happy', value: null },
      { imageId: 3, code: 'sad', value: null },
    ])
  })
})
