import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeSmallFile } from '../files/small-file'
import { MAX_SHORTCUT_ACTIONS, shortcutBindingsSchema, type ShortcutBindings } from '../../shared/contract'

// The keyboard shortcuts a coder changed, kept beside the workbench settings (not in the browser):
// the headless server gets a new port, hence a new browser origin, at every start.

/** The shortcuts file beside a settings file. */
export const shortcutsFile = (settingsFile: string): string => join(dirname(settingsFile), 'shortcuts.json')

/**
 * The remembered changes; an unreadable file counts as none (defaults apply). Entries shortcuts.set
 * would refuse (written by an older version, or by hand) are left out, so their defaults apply.
 */
export function readShortcuts(file: string): ShortcutBindings {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown
    if (typeof raw !== 'object' || raw === null) return {}
    const out: ShortcutBindings = {}
    for (const [action, keys] of Object.entries(raw)) {
      const one = shortcutBindingsSchema.safeParse({ [action]: keys })
      if (one.success) Object.assign(out, one.data)
      if (Object.keys(out).length >= MAX_SHORTCUT_ACTIONS) break
    }
    return out
  } catch {
    return {}
  }
}

/** Replaces the remembered changes (written atomically). */
export function writeShortcuts(file: string, bindings: ShortcutBindings): ShortcutBindings {
  writeSmallFile(file, Buffer.from(JSON.stringify(bindings, null, 2)))
  return bindings
}
