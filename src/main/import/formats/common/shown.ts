// Values read from a dataset are repeated in messages so the user can find them, but a cell can
// hold 50 MB (a pasted image, a file that is not CSV at all): messages repeat the start only.

/** Characters of a value a message repeats. */
export const SHOWN_CHARACTERS = 80

/** The value, or its first 80 (or `max`) characters followed by `... (N characters)`. */
export function shortened(value: string, max = SHOWN_CHARACTERS): string {
  if (value.length <= max) return value
  return `${value.slice(0, max)}... (${value.length} characters)`
}

/** The value in quotes, shortened the same way: `"abc"` or `"abc..." (N characters)`. */
export function quoted(value: string): string {
  if (value.length <= SHOWN_CHARACTERS) return `"${value}"`
  return `"${value.slice(0, SHOWN_CHARACTERS)}..." (${value.length} characters)`
}
