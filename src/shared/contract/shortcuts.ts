import { z } from 'zod'
import { EMOTION_CODES } from '../labels'

// What shortcuts.set accepts: only actions the label and video coding views have, key combinations written as the
// keymap writes them ("Ctrl+Shift+z", "ArrowRight", "?"), at most 4 keys per action and a bounded
// number of actions, so that the settings file stays a few kilobytes.

const FIXED_ACTIONS = [
  'next',
  'previous',
  'catalogue',
  'acceptAll',
  'verify',
  'verifyNext',
  'flag',
  'toReview',
  'note',
  'undo',
  'redo',
  'help',
  // The video coding view's (video.*): playing, stepping and jumping, marking an AU event.
  'video.playPause',
  'video.nextFrame',
  'video.previousFrame',
  'video.secondForward',
  'video.secondBack',
  'video.firstFrame',
  'video.lastFrame',
  'video.onset',
  'video.apex',
  'video.offset',
] as const
const EMOTION_ACTION = new RegExp(`^emotion:(${[...EMOTION_CODES, 'unknown'].join('|')})$`)
// FACS Action Units 1-46 (the classes the workbench labels).
const AU_ACTION = /^au:AU([1-9]|[1-3]\d|4[0-6])$/
// FACS intensity A-E of the AU being coded, or "present, not coded"; video.: of the next event's apex.
const INTENSITY_ACTION = /^(video\.)?intensity:([A-E]|none)$/

/** Whether an action id names something a shortcut can do. */
export const isShortcutAction = (id: string): boolean =>
  (FIXED_ACTIONS as readonly string[]).includes(id) ||
  EMOTION_ACTION.test(id) ||
  AU_ACTION.test(id) ||
  INTENSITY_ACTION.test(id)

/** Modifiers in the keymap's order, then one printable character or a key name such as ArrowRight or F5. */
const KEY_COMBO = /^(Ctrl\+)?(Alt\+)?(Meta\+)?(Shift\+)?([^\p{C}\p{Z}]|[A-Z][A-Za-z0-9]{1,24})$/u

export const MAX_SHORTCUT_ACTIONS = 100

const keyComboSchema = z
  .string()
  .max(40)
  .regex(KEY_COMBO, 'write a key as the shortcut sheet does, e.g. "Ctrl+Shift+z", "ArrowRight", "4" or "?"')

/** Changed shortcuts: action -> up to 4 key combinations (an empty list unbinds the action). */
export const shortcutBindingsSchema = z
  .record(z.string().max(64), z.array(keyComboSchema).max(4, 'at most 4 keys per action'))
  .superRefine((bindings, ctx) => {
    const actions = Object.keys(bindings)
    if (actions.length > MAX_SHORTCUT_ACTIONS)
      return void ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_SHORTCUT_ACTIONS} actions, not ${actions.length}`,
      })
    for (const id of actions) {
      if (!isShortcutAction(id))
        ctx.addIssue({
          code: 'custom',
          path: [id],
          message: `"${id}" is not a shortcut action: use next, previous, undo, emotion:happy, au:AU12 and the like`,
        })
    }
  })
