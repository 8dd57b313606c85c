import { z } from 'zod'

// Free text people type and the workbench stores and exports: annotator names, notes, reasons.
// Refused, with the character and its place named: control characters (NUL and the like, which
// break CSV readers and terminals), bidirectional embeddings, overrides and isolates (which make a
// name or a reason display as something else: "Trojan Source"), and lone surrogates (half of a
// character, which SQLite would store as invalid UTF-8). Marks such as U+200F (right-to-left mark)
// stay allowed: Arabic and Hebrew text needs them and they cannot reorder other text.

const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u
// With the u flag a surrogate pair is one code point, so this matches only a lone half.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u
// \p{Cc} is U+0000-001F and U+007F-009F.
const CONTROL_ONE_LINE = /[\p{Cc}\u2028\u2029]/u
// Notes and reasons may span lines and hold tabs.
const CONTROL_MULTI_LINE = /(?![\t\n\r])\p{Cc}/u

const codePoint = (text: string, at: number): string =>
  `U+${(text.codePointAt(at) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`

/** Why a text is refused, or null when it is fine. `multiLine`: line breaks and tabs are allowed. */
export function textProblem(text: string, multiLine: boolean): string | null {
  const checks: [RegExp, string][] = [
    [LONE_SURROGATE, 'half of a character (a lone surrogate)'],
    [multiLine ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE, 'a control character'],
    [BIDI_CONTROL, 'a bidirectional override character, which can make text display as something else'],
  ]
  for (const [pattern, what] of checks) {
    const found = pattern.exec(text)
    if (found) return `contains ${what} (${codePoint(text, found.index)} at character ${found.index + 1}): remove it`
  }
  return null
}

const checked = (schema: z.ZodString, multiLine: boolean) =>
  schema.superRefine((text, ctx) => {
    const problem = textProblem(text, multiLine)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

/** A person's name as recorded with edits (one line, trimmed, 1-80 characters). */
export const personNameSchema = checked(
  z.string().trim().min(1, 'Give a name').max(80, 'A name has at most 80 characters'),
  false,
)

/** Why an edit was made (may span lines; up to 2,000 characters). */
export const reasonSchema = checked(z.string().max(2000, 'A reason has at most 2,000 characters'), true)

/** A note on an image (may span lines; up to 4,000 characters). */
export const noteSchema = checked(z.string().max(4000, 'A note has at most 4,000 characters'), true)
