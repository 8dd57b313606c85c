import type { ShortcutBindings } from '@shared/contract'
import { INTENSITY_LETTERS, intensityLabel, type Intensity } from '@shared/intensity'
import { EMOTION_CODES, PAPER_AUS, type LabelClass } from '@shared/labels'

// Keyboard shortcuts: what each action is called, which keys do it by default, and how a key press
// is written ("Ctrl+Shift+z", "ArrowRight", "4"). Letters are matched by the character they type
// (so Ctrl+Z is Ctrl+Z on any layout), digits by the key (Shift+1 is not "!").

export type ShortcutGroup =
  | 'Images'
  | 'Emotions'
  | 'Action Units'
  | 'Intensity'
  | 'Review'
  | 'Edits'
  | 'Video: moving'
  | 'Video: marking'
  | 'Help'

/**
 * Where an action's keys work: the label view (and the catalogue's undo), the video coding view,
 * or everywhere (help). A key can do one thing in each view; it clashes only within one.
 */
export type ShortcutView = 'label' | 'video' | 'any'

/** The view of an action, from its id: the video coding view's start with "video.". */
export const viewOf = (actionId: string): ShortcutView =>
  actionId === 'help' ? 'any' : actionId.startsWith('video.') ? 'video' : 'label'

/** Whether an action's keys work in a view. */
const worksIn = (actionId: string, view: ShortcutView): boolean =>
  view === 'any' || viewOf(actionId) === 'any' || viewOf(actionId) === view

/** Whether two actions' keys can clash: they work in one view at the same time. */
export const clashes = (a: string, b: string): boolean => worksIn(a, viewOf(b))

/** How a group's keys behave, shown above it in the shortcut sheet. */
export const GROUP_NOTES: Partial<Record<ShortcutGroup, string>> = {
  'Action Units':
    "An AU's key marks it present, pressed again absent, then present again; Shift with the key makes it unknown.",
  Intensity:
    'FACS intensity of the AU you last marked (its key, or a click): Alt with 1-5 for A-E marks it present at that level.',
  Emotions: 'One emotion per face: choosing one marks the others of the dataset absent. Unknown clears them all.',
  'Video: moving': 'In the Video coding view; its keys may do other things in the Label view.',
  'Video: marking':
    'The AU chosen in the Video coding view: onset, then apex, then offset, which saves the event with the apex intensity chosen.',
}

export interface ShortcutAction {
  id: string
  group: ShortcutGroup
  /** What the action does, in the coder's words. */
  label: string
  defaults: string[]
}

/** The paper's AUs on the top letter row in FACS order, and J for AU26 (jaw drop). */
const AU_KEYS: Record<number, string> = {
  1: 'q',
  2: 'w',
  4: 'e',
  5: 'r',
  6: 't',
  9: 'y',
  12: 'u',
  17: 'i',
  20: 'o',
  25: 'p',
  26: 'j',
}

/** Every action, given the workspace's classes (each AU gets one; the paper's AUs have keys). */
export function shortcutActions(classes: readonly LabelClass[]): ShortcutAction[] {
  const emotionName = (code: string) => classes.find((c) => c.code === code)?.name ?? code
  const aus = classes.filter((c) => c.kind === 'au')
  return [
    { id: 'next', group: 'Images', label: 'Next image', defaults: ['ArrowRight'] },
    { id: 'previous', group: 'Images', label: 'Previous image', defaults: ['ArrowLeft'] },
    { id: 'catalogue', group: 'Images', label: 'Back to the catalogue', defaults: ['c'] },
    ...EMOTION_CODES.map((code, i): ShortcutAction => ({
      id: `emotion:${code}`,
      group: 'Emotions',
      label: `Emotion: ${emotionName(code).toLowerCase()}`,
      defaults: [String(i + 1)],
    })),
    { id: 'emotion:unknown', group: 'Emotions', label: 'Emotion: unknown', defaults: ['0'] },
    ...aus.map((c): ShortcutAction => ({
      id: `au:${c.code}`,
      group: 'Action Units',
      label: `${c.code} ${c.name}`,
      defaults:
        AU_KEYS[c.auNumber ?? -1] && (PAPER_AUS as readonly number[]).includes(c.auNumber!)
          ? [AU_KEYS[c.auNumber!]]
          : [],
    })),
    ...INTENSITY_LETTERS.map((letter, i): ShortcutAction => ({
      id: `intensity:${letter}`,
      group: 'Intensity',
      label: `Intensity ${intensityLabel((i + 1) as Intensity)}`,
      defaults: [`Alt+${i + 1}`],
    })),
    { id: 'intensity:none', group: 'Intensity', label: 'Intensity not coded', defaults: ['Alt+0'] },
    { id: 'acceptAll', group: 'Review', label: 'Accept all predictions', defaults: ['a'] },
    { id: 'verify', group: 'Review', label: 'Mark verified', defaults: ['v'] },
    { id: 'verifyNext', group: 'Review', label: 'Mark verified and go to the next image', defaults: ['Enter'] },
    { id: 'flag', group: 'Review', label: 'Flag for discussion', defaults: ['f'] },
    { id: 'toReview', group: 'Review', label: 'Back to "to review"', defaults: [] },
    { id: 'note', group: 'Review', label: 'Write a note', defaults: ['n'] },
    { id: 'undo', group: 'Edits', label: 'Undo the last edit (on any image)', defaults: ['Ctrl+z', 'Meta+z'] },
    { id: 'redo', group: 'Edits', label: 'Redo', defaults: ['Ctrl+Shift+z', 'Meta+Shift+z', 'Ctrl+y'] },
    ...VIDEO_ACTIONS,
    { id: 'help', group: 'Help', label: 'Show the keyboard shortcuts', defaults: ['?'] },
  ]
}

/** The video coding view's actions: playing, stepping and jumping, and marking an AU event. */
const VIDEO_ACTIONS: ShortcutAction[] = [
  { id: 'video.playPause', group: 'Video: moving', label: 'Play or pause the video', defaults: ['Space'] },
  { id: 'video.nextFrame', group: 'Video: moving', label: 'Next frame', defaults: ['ArrowRight'] },
  { id: 'video.previousFrame', group: 'Video: moving', label: 'Previous frame', defaults: ['ArrowLeft'] },
  { id: 'video.secondForward', group: 'Video: moving', label: 'Forward one second', defaults: ['Shift+ArrowRight'] },
  { id: 'video.secondBack', group: 'Video: moving', label: 'Back one second', defaults: ['Shift+ArrowLeft'] },
  { id: 'video.firstFrame', group: 'Video: moving', label: 'First frame', defaults: ['Home'] },
  { id: 'video.lastFrame', group: 'Video: moving', label: 'Last frame', defaults: ['End'] },
  { id: 'video.onset', group: 'Video: marking', label: "Mark the AU's onset", defaults: ['i'] },
  { id: 'video.apex', group: 'Video: marking', label: "Mark the AU's apex", defaults: ['p'] },
  { id: 'video.offset', group: 'Video: marking', label: "Mark the AU's offset and save the event", defaults: ['o'] },
  ...INTENSITY_LETTERS.map((letter, i): ShortcutAction => ({
    id: `video.intensity:${letter}`,
    group: 'Video: marking',
    label: `Apex intensity ${intensityLabel((i + 1) as Intensity)}`,
    defaults: [String(i + 1)],
  })),
  { id: 'video.intensity:none', group: 'Video: marking', label: 'Apex intensity not coded', defaults: ['0'] },
]

/** Defaults with the user's changes on top (a changed action keeps only its new keys). */
export function effectiveBindings(actions: readonly ShortcutAction[], changed: ShortcutBindings): ShortcutBindings {
  return Object.fromEntries(actions.map((a) => [a.id, changed[a.id] ?? a.defaults]))
}

/** Action ids by key combination in one view; the first action listed wins a clash. */
export function actionsByKey(bindings: ShortcutBindings, view: ShortcutView = 'label'): Map<string, string> {
  const out = new Map<string, string>()
  for (const [action, keys] of Object.entries(bindings)) {
    if (!worksIn(action, view)) continue
    for (const key of keys) if (!out.has(key)) out.set(key, action)
  }
  return out
}

const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta', 'AltGraph', 'CapsLock'])

/** How a key press is written in bindings, or null for a lone modifier. */
export function comboOf(
  e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'>,
): string | null {
  if (MODIFIER_KEYS.has(e.key)) return null
  let key: string
  let shiftCounts = true
  if (/^[a-z]$/i.test(e.key)) key = e.key.toLowerCase()
  else if (/^(Digit|Numpad)\d$/.test(e.code)) key = e.code.slice(-1)
  else if (e.key === ' ') key = 'Space'
  else {
    key = e.key
    // A printed character already says whether Shift was down ("?" is Shift+/).
    shiftCounts = e.key.length > 1
  }
  const mods = [
    e.ctrlKey && 'Ctrl',
    e.altKey && 'Alt',
    e.metaKey && 'Meta',
    e.shiftKey && shiftCounts && 'Shift',
  ].filter(Boolean)
  return [...mods, key].join('+')
}

/** A combination as shown to people: "Ctrl+Shift+Z", "→". */
export function describeCombo(combo: string): string {
  const names: Record<string, string> = { ArrowRight: '→', ArrowLeft: '←', ArrowUp: '↑', ArrowDown: '↓', Meta: '⌘' }
  return combo
    .split('+')
    .map((part) => names[part] ?? (part.length === 1 ? part.toUpperCase() : part))
    .join('+')
}
