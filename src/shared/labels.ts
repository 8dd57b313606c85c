// The label space shared by every process: class kinds, codes and the tri-state of a label.
// Pure data and types: this file must run in the renderer, main and the trainer alike.

export type ClassKind = 'emotion' | 'au' | 'compound'

/** One class of the union label space (an emotion, an Action Unit or a compound emotion). */
export interface LabelClass {
  /** Stable code: `happy`, `AU12`, `happily_surprised`. */
  code: string
  kind: ClassKind
  /** Name in the user's words: "Happy", "Lip Corner Puller", "Happily surprised". */
  name: string
  /** One line a coder can act on. */
  description: string
  /** FACS number for Action Units. */
  auNumber?: number
}

/** A known label: 1 present, 0 absent. Unknown is the absence of a label, never a value. */
export type LabelValue = 0 | 1

/** Label state as shown and filtered on: unknown is distinct from absent. */
export type LabelState = 'present' | 'absent' | 'unknown'

/** The basic emotions in the workbench's fixed order (the order of emotion outputs and columns). */
export const EMOTION_CODES = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral', 'contempt'] as const
export type EmotionCode = (typeof EMOTION_CODES)[number]

/** The 11 AUs of the EmotioNet challenge that the paper trains on. */
export const PAPER_AUS = [1, 2, 4, 5, 6, 9, 12, 17, 20, 25, 26] as const

export const auCode = (n: number): string => `AU${n}`

/** AU number from a code such as `AU12`, `AU 12`, `au12` or `AU012`; undefined when it is not one. */
export function auNumberOf(code: string): number | undefined {
  const m = /^au\s*0*(\d{1,2})$/i.exec(code.trim())
  return m ? Number(m[1]) : undefined
}
