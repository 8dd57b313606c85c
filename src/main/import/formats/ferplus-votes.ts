import type { LabelEntry } from '../record'

// FER+ gives 10 crowd votes per image over neutral..contempt, unknown and NF (not a face). This turns
// them into the catalogue's labels: one-hot on the majority emotion with each emotion's share of
// votes kept as a soft label, or unknown when the crowd did not agree on an emotion.

export const FERPLUS_VOTE_COLUMNS = [
  'neutral',
  'happiness',
  'surprise',
  'sadness',
  'anger',
  'disgust',
  'fear',
  'contempt',
  'unknown',
  'NF',
] as const
const UNKNOWN = 8
const NOT_A_FACE = 9

export type Majority = 'most-votes' | 'over-half'

export type VoteOutcome =
  { kind: 'emotion'; labels: Record<string, LabelEntry> } | { kind: 'unknown'; why: string } | { kind: 'not a face' }

/** The winning column index, or undefined when no column wins (a tie, or no majority). */
function winner(votes: number[], majority: Majority): number | undefined {
  // over-half follows the FER+ reference code: single votes are outliers, and the top emotion needs
  // more than half of what is left. most-votes takes the top count and calls ties unknown.
  const counted = majority === 'over-half' ? votes.map((v) => (v <= 1 ? 0 : v)) : votes
  const top = Math.max(...counted)
  if (top <= 0) return undefined
  const tops = counted.flatMap((v, i) => (v === top ? [i] : []))
  if (tops.length > 1) return undefined
  if (majority === 'over-half' && top <= counted.reduce((a, b) => a + b, 0) / 2) return undefined
  return tops[0]
}

/** Labels from 10 vote counts; `emotionCodes` are the catalogue codes of the first 8 columns. */
export function votesToLabels(votes: number[], emotionCodes: readonly string[], majority: Majority): VoteOutcome {
  const total = votes.reduce((a, b) => a + b, 0)
  const win = winner(votes, majority)
  if (win === NOT_A_FACE) return { kind: 'not a face' }
  if (win === undefined) return { kind: 'unknown', why: total ? 'no majority' : 'no votes' }
  if (win === UNKNOWN) return { kind: 'unknown', why: 'most annotators chose unknown' }
  const labels: Record<string, LabelEntry> = {}
  // Shares are of all votes cast (normally 10), so votes for unknown / NF lower every emotion's share.
  emotionCodes.forEach((code, i) => {
    labels[code] = { value: i === win ? 1 : 0, soft: votes[i] / total }
  })
  return { kind: 'emotion', labels }
}
