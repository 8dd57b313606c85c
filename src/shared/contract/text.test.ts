import { describe, expect, it } from 'vitest'
import { methods } from './index'
import { noteSchema, personNameSchema, reasonSchema, textProblem } from './text'

describe('text people type (names, notes, reasons)', () => {
  it('refuses control characters, bidi overrides and lone surrogates, naming the character and where it is', () => {
    expect(textProblem('ana\u0000', false)).toBe('contains a control character (U+0000 at character 4): remove it')
    expect(textProblem('\u202Eana', false)).toMatch(
      /^contains a bidirectional override character.*\(U\+202E at character 1\)/,
    )
    expect(textProblem('x\u2066y', true)).toMatch(/U\+2066/)
    expect(textProblem('a\uD800b', true)).toBe(
      'contains half of a character (a lone surrogate) (U+D800 at character 2): remove it',
    )
    expect(textProblem('b\uDC00', false)).toMatch(/lone surrogate/)
  })

  it('accepts what people write: accents, emoji, right-to-left scripts with their marks, and lines in notes', () => {
    for (const text of ['Zoë Ñúñez', '王芳', 'שרה\u200F', 'مريم', 'ok 👍🏽']) expect(textProblem(text, false)).toBeNull()
    expect(textProblem('first line\nsecond\tline\r\n', true)).toBeNull()
    expect(textProblem('first line\nsecond', false)).toMatch(/control character \(U\+000A/)
  })

  it('checks names, reasons and notes in the schemas, with their length limits', () => {
    expect(personNameSchema.safeParse('  ana  ')).toEqual({ success: true, data: 'ana' })
    expect(personNameSchema.safeParse('a'.repeat(81)).success).toBe(false)
    expect(reasonSchema.safeParse('r'.repeat(2001)).success).toBe(false)
    expect(noteSchema.safeParse('two\nlines').success).toBe(true)
    expect(noteSchema.safeParse('del\u007F').success).toBe(false)
  })

  it('guards every name, reason and note of the label methods', () => {
    const bad = 'x\u0000'
    const refused = (method: keyof typeof methods, args: Record<string, unknown>) =>
      !methods[method].input.safeParse(args).success
    expect(refused('app.setAnnotator', { annotator: bad })).toBe(true)
    expect(refused('labels.edit', { changes: [{ imageId: 1, code: 'happy', value: 1 }], who: bad })).toBe(true)
    expect(refused('labels.edit', { changes: [{ imageId: 1, code: 'happy', value: 1 }], reason: bad })).toBe(true)
    expect(refused('labels.undo', { who: bad })).toBe(true)
    expect(refused('labels.redo', { who: bad })).toBe(true)
    expect(refused('labels.revert', { editId: 1, imageId: 1, who: bad })).toBe(true)
    expect(refused('labels.bulkEdit', { selection: { ids: [1] }, code: 'happy', value: 1, reason: bad })).toBe(true)
    expect(refused('images.setReview', { imageIds: [1], status: 'verified', note: bad })).toBe(true)
  })
})
