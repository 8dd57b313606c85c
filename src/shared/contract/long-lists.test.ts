import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { labelChangeSchema, labelChangesSchema } from './catalogue'
import { methods } from './index'
import { idList } from './long-lists'

describe('long lists checked by a plain loop', () => {
  const tricky: unknown[] = [
    { imageId: 1, code: 'AU12', value: 1 },
    { imageId: 1, code: 'happy', value: null, intensity: null },
    { imageId: 1, code: 'AU12', value: 0, intensity: 5 },
    { imageId: 1, code: 'AU12', value: 1, intensity: 5 },
    { imageId: 1, code: 'AU12', value: null, intensity: 1 },
    { imageId: 1, code: 'AU12', value: 1, intensity: 2.5 },
    { imageId: 1, code: 'AU12', value: 1, intensity: 0 },
    { imageId: 1.5, code: 'AU12', value: 1 },
    { imageId: 0, code: 'AU12', value: 1 },
    { imageId: 2 ** 53, code: 'AU12', value: 1 },
    { imageId: '1', code: 'AU12', value: 1 },
    { imageId: 1, code: '', value: 1 },
    { imageId: 1, code: 'x'.repeat(65), value: 1 },
    { imageId: 1, code: 'AU12', value: 2 },
    { imageId: 1, code: 'AU12', value: '1' },
    { imageId: 1, code: 'AU12' },
    { imageId: 1, code: 'AU12', value: 1, intensity: 6 },
    { imageId: 1, code: 'AU12', value: 1, intensity: -1 },
    { imageId: 1, code: 'AU12', value: 1, intensity: Number.NaN },
    { imageId: 1, code: 'AU12', value: 1, intensity: Number.POSITIVE_INFINITY },
    { imageId: 1, code: 'AU12', value: 1, extra: true },
    null,
    [1, 'AU12', 1],
    'AU12=1',
  ]

  it('accept and refuse exactly what the element schema does', () => {
    for (const element of tricky) {
      expect(labelChangesSchema.safeParse([element]).success, JSON.stringify(element)).toBe(
        labelChangeSchema.safeParse(element).success,
      )
    }
    for (const id of [1, 0, -3, 1.5, '7', null, 2 ** 53, 2 ** 53 - 1]) {
      expect(idList({ max: 10 }).safeParse([id]).success, String(id)).toBe(
        z.number().int().positive().safeParse(id).success,
      )
    }
  })

  it("name the bad element's index and field in zod's words, and the list's own limits", () => {
    const result = methods['labels.edit'].input.safeParse({
      changes: [
        { imageId: 1, code: 'AU12', value: 1 },
        { imageId: 1, code: 'AU12', value: 2 },
      ],
    })
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['changes.1.value', expect.stringMatching(/^Invalid input/)],
    ])
    expect(labelChangesSchema.safeParse([]).error!.issues[0].message).toMatch(/at least 1/)
    expect(idList({ max: 2 }).safeParse([1, 2, 3]).error!.issues[0].message).toMatch(/at most 2/)
    expect(labelChangesSchema.safeParse('not a list').error!.issues[0].message).toMatch(/expected array/)
  })

  it('report the first ten bad elements of a long list, not all of them', () => {
    const bad = Array.from({ length: 50_000 }, () => ({ imageId: 0, code: 'AU12', value: 1 }))
    expect(labelChangesSchema.safeParse(bad).error!.issues).toHaveLength(10)
  })
})
