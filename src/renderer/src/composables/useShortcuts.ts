import { onBeforeUnmount, onMounted } from 'vue'
import { useShortcutStore } from '../stores/shortcuts'
import { comboOf, type ShortcutView } from './keymap'

/**
 * What a view does for each action. Per-class actions come in by family with the class code:
 * `au` (its key), `auUnknown` (Shift with its key) and `emotion` (a code, or 'unknown').
 */
export type ShortcutHandlers = Partial<Record<string, (code: string) => unknown>>

/** Actions that make sense held down (walking through images or frames). */
const REPEATABLE = new Set([
  'next',
  'previous',
  'video.nextFrame',
  'video.previousFrame',
  'video.secondForward',
  'video.secondBack',
])

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))

/** Enter and Space on a focused button or link press it; they are not shortcuts there. */
const pressesControl = (e: KeyboardEvent): boolean =>
  (e.key === 'Enter' || e.key === ' ') &&
  e.target instanceof HTMLElement &&
  e.target.closest('button, a[href], [role="radio"], [role="option"]') !== null

/** Resolves a key press to an action and its class code, honouring the coder's own keys. */
export function resolveShortcut(combo: string, byKey: Map<string, string>): { action: string; code: string } | null {
  const action = byKey.get(combo)
  if (action) {
    const [family, code] = action.includes(':') ? action.split(':') : [action, '']
    return { action: family, code }
  }
  // Shift with an AU's key makes that AU unknown (unless Shift+key is bound to something itself).
  if (combo.startsWith('Shift+')) {
    const plain = byKey.get(combo.slice('Shift+'.length))
    if (plain?.startsWith('au:')) return { action: 'auUnknown', code: plain.slice(3) }
  }
  return null
}

/** Listens for the shortcuts of a view on the whole window while the calling component is mounted. */
export function useShortcuts(handlers: () => ShortcutHandlers, view: Exclude<ShortcutView, 'any'> = 'label'): void {
  const store = useShortcutStore()
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return
    if (isTyping(e.target)) {
      if (e.key === 'Escape') (e.target as HTMLElement).blur()
      return
    }
    if (pressesControl(e)) return
    // A modal dialog (the name dialog, the shortcut sheet) takes the keys while it is open.
    if (document.querySelector('dialog[open]')) return
    const combo = comboOf(e)
    const hit = combo ? resolveShortcut(combo, store.byView[view]) : null
    const handler = hit ? handlers()[hit.action] : undefined
    if (!hit || !handler) return
    e.preventDefault()
    if (e.repeat && !REPEATABLE.has(hit.action)) return
    handler(hit.code)
  }
  onMounted(() => {
    void store.load()
    window.addEventListener('keydown', onKey)
  })
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
