import { z } from 'zod'
import { CliExit } from './call'

// Command-line options are text; the contract's schemas say what each value may be. An option is
// read with the schema of the field it fills, so the CLI accepts exactly what the router would,
// and a refusal names the option in the user's words: `--steps must be a positive whole number, not "abc".`

type JsonSchema = z.core.JSONSchema.BaseSchema

/** JSON Schema puts the safe-integer range on every whole number; it says nothing to a user. */
const bound = (v: number | undefined): number | undefined =>
  v === undefined || Math.abs(v) >= Number.MAX_SAFE_INTEGER ? undefined : v

function numberInWords(s: JsonSchema): string {
  const whole = s.type === 'integer'
  const max = bound(s.maximum)
  const above = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : undefined
  if (whole) {
    // A whole number above n is one of n + 1 or more.
    const min = bound(s.minimum) ?? (above === undefined ? undefined : above + 1)
    if (min === 1 && max === undefined) return 'a positive whole number'
    if (min !== undefined && max !== undefined) return `a whole number from ${min} to ${max}`
    if (min !== undefined) return `a whole number of ${min} or more`
    return max === undefined ? 'a whole number' : `a whole number of at most ${max}`
  }
  const min = bound(s.minimum)
  if (min !== undefined && max !== undefined) return `a number from ${min} to ${max}`
  const lower = above !== undefined ? `above ${above}` : min !== undefined ? `of at least ${min}` : undefined
  const upper = max === undefined ? undefined : `at most ${max}`
  return ['a number', [lower, upper].filter(Boolean).join(' and ')].filter(Boolean).join(' ')
}

/** What a schema accepts, in words ("a positive whole number", "one of sjmt, multitask, single"). */
export function wantedInWords(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })
  if (json.enum) return `one of ${json.enum.join(', ')}`
  if (json.type === 'integer' || json.type === 'number') return numberInWords(json)
  return typeof json.type === 'string' ? `a ${json.type}` : 'a valid value'
}

/** The refusal of one option's value: what the schema wants (or, for a rule of its own, the schema's message). */
function refusal(flag: string, schema: z.ZodType, text: string, issues: z.core.$ZodIssue[]): CliExit {
  const custom = issues.find((i) => i.code === 'custom')
  const wanted = custom ? custom.message : `must be ${wantedInWords(schema)}`
  return new CliExit(2, `${flag} ${wanted}, not "${text}".`)
}

function parsed<S extends z.ZodType>(flag: string, schema: S, text: string, value: unknown): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw refusal(flag, schema, text, result.error.issues)
  return result.data
}

/** A commander argument parser for a number option, checked with the schema of the field it fills. */
export const numberOption =
  <S extends z.ZodType>(flag: string, schema: S) =>
  (text: string): z.output<S> =>
    parsed(flag, schema, text, text.trim() === '' ? Number.NaN : Number(text))

/** A commander argument parser for a text option (a choice, a name), checked with the schema of the field it fills. */
export const textOption =
  <S extends z.ZodType>(flag: string, schema: S) =>
  (text: string): z.output<S> =>
    parsed(flag, schema, text, text)

/** `a, b,c` -> ['a', 'b', 'c']: the comma lists of --datasets. */
export const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
