// Finds controls the way a person using a screen reader does: by role and accessible name, so
// component tests assert what a user would notice rather than class names or markup.

const IMPLICIT_ROLES: Record<string, string> = {
  BUTTON: 'button',
  DIALOG: 'dialog',
  TABLE: 'table',
  TR: 'row',
  A: 'link',
  SELECT: 'combobox',
  TEXTAREA: 'textbox',
  FIELDSET: 'group',
  PROGRESS: 'progressbar',
}

const INPUT_ROLES: Record<string, string> = {
  checkbox: 'checkbox',
  radio: 'radio',
  number: 'spinbutton',
  text: 'textbox',
  search: 'searchbox',
}

/** An element's role: its role attribute, else the one its tag (and an input's type) implies. */
export function roleOf(el: Element): string | null {
  if (el.tagName === 'INPUT') return el.getAttribute('role') ?? INPUT_ROLES[el.getAttribute('type') ?? 'text'] ?? null
  return el.getAttribute('role') ?? IMPLICIT_ROLES[el.tagName] ?? null
}

const textOf = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim()
/** The element with this id in the same tree (mounted in the document or not). */
const byId = (el: Element, id: string): Element | null => (el.getRootNode() as ParentNode).querySelector(`[id="${id}"]`)

/** The text of the label of a form field: a <label for> naming it, or the <label> around it. */
function labelText(el: Element): string | null {
  const byFor = el.id ? (el.getRootNode() as ParentNode).querySelector(`label[for="${el.id}"]`) : null
  const label = byFor ?? el.closest('label')
  return label ? textOf(label) : null
}

/** An element's accessible name: aria-label, else what aria-labelledby names, else a field's label, else its own text. */
export function nameOf(el: Element): string {
  const label = el.getAttribute('aria-label')
  if (label) return label.trim()
  const labelledBy = el.getAttribute('aria-labelledby')
  if (labelledBy)
    return labelledBy
      .split(/\s+/)
      .map((id) => textOf(byId(el, id)))
      .join(' ')
  if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) return labelText(el) ?? ''
  return textOf(el)
}

const matches = (name: string, wanted: string | RegExp | undefined) =>
  wanted === undefined || (typeof wanted === 'string' ? name === wanted : wanted.test(name))

/** Every element under `root` with this role (and name, if given), in document order. */
export function allByRole(root: Element, role: string, name?: string | RegExp): HTMLElement[] {
  return [root, ...root.querySelectorAll('*')].filter(
    (el): el is HTMLElement => roleOf(el) === role && matches(nameOf(el), name),
  )
}

/** The one element with this role and name; fails listing the names there are, so a failure reads like a bug report. */
export function getByRole(root: Element, role: string, name?: string | RegExp): HTMLElement {
  const found = allByRole(root, role, name)
  if (found.length === 1) return found[0]
  const there = allByRole(root, role).map(nameOf)
  throw new Error(
    `${found.length} elements with role "${role}" named ${String(name)}; there are: ${JSON.stringify(there)}`,
  )
}

/** Whether a radio or checkbox says it is checked. */
export const isChecked = (el: Element): boolean => el.getAttribute('aria-checked') === 'true'

/** Presses a key on an element as a keyboard does (bubbling, cancelable); returns the event to check `defaultPrevented`. */
export function press(el: Element, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init })
  el.dispatchEvent(event)
  return event
}
