import { choiceConflicts, codesInWords } from '../../shared/contract'
import type { LabelClass } from '../../shared/labels'
import type { LabelEntry } from './record'

// Imports keep the one-emotion rule of the label services (shared/contract/label-choice.ts): in a
// dataset that is not multi-label, a row marking two emotions (or two compounds) present is
// skipped with the codes named, instead of being stored as something no edit could produce.

/** Why a record's labels break the rule (null when they do not), for the import report. */
export function oneEmotionCheck(
  classes: readonly LabelClass[],
  multiLabel: boolean,
): (labels: Record<string, LabelEntry>) => string | null {
  return (labels) => {
    const values = Object.fromEntries(Object.entries(labels).map(([code, l]) => [code, l.value]))
    const present = Object.keys(values).filter((code) => values[code] === 1)
    const [conflict] = choiceConflicts({ id: 0, multiLabel }, classes, values, present)
    if (!conflict) return null
    const kinds = conflict.kind === 'compound' ? 'compound emotions' : 'emotions'
    return `${codesInWords(conflict.codes)} present, but ${kinds} are one choice per image in this dataset: row skipped (import with the option multiLabel if the dataset gives several per image)`
  }
}
