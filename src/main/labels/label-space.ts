import { readFileSync } from 'node:fs'
import { EMOTION_CODES, type EmotionCode, type LabelClass } from '../../shared/labels'
import { resourcePath } from '../app/resources'

// Builds the workbench's union label space from resources/labels (copied from the shared label
// research with its sources). Emotions use the short codes of the catalogue (`happy`, not
// `happiness`); AUs are the FACS codes up to AU46 (head and eye movements are not labelled here).

interface AuEntry {
  id: number
  code: string
  name: string
  muscles: string
  region: string
}
interface CompoundEntry {
  id: string
  type: string
  components: string[]
  prototypical_aus: number[]
}

const readJson = <T>(name: string): T => JSON.parse(readFileSync(resourcePath('labels', name), 'utf8')) as T

/** Canonical emotion names of emotions.json -> the catalogue's codes. */
const CANONICAL_TO_CODE: Record<string, EmotionCode> = {
  anger: 'angry',
  disgust: 'disgust',
  fear: 'fear',
  happiness: 'happy',
  sadness: 'sad',
  surprise: 'surprise',
  neutral: 'neutral',
  contempt: 'contempt',
}

const EMOTION_TEXT: Record<EmotionCode, [string, string]> = {
  angry: ['Angry', 'Brows lowered and drawn together, eyes glaring, lips pressed or tightened (AU4+5+7+23).'],
  disgust: ['Disgust', 'Nose wrinkled, upper lip raised, lower lip depressed (AU9+15+16).'],
  fear: ['Fear', 'Brows raised and drawn together, upper lids raised, lips stretched (AU1+2+4+5+7+20+26).'],
  happy: ['Happy', 'Cheeks raised and lip corners pulled up (AU6+12).'],
  sad: ['Sad', 'Inner brows raised, brows lowered, lip corners depressed (AU1+4+15).'],
  surprise: ['Surprise', 'Brows raised, upper lids raised, jaw dropped (AU1+2+5B+26).'],
  neutral: ['Neutral', 'No expression: the face at rest.'],
  contempt: ['Contempt', 'One lip corner tightened and raised (R12A+R14A).'],
}

/** Emotion names, including dataset folder names and compound components, -> catalogue code. */
export function emotionCodeOf(name: string): EmotionCode | undefined {
  const key = name.trim().toLowerCase()
  if ((EMOTION_CODES as readonly string[]).includes(key)) return key as EmotionCode
  if (CANONICAL_TO_CODE[key]) return CANONICAL_TO_CODE[key]
  const aliases = readJson<{ aliases: Record<string, string[]> }>('emotions.json').aliases
  for (const [canonical, names] of Object.entries(aliases)) {
    if (names.some((n) => n.toLowerCase() === key)) return CANONICAL_TO_CODE[canonical]
  }
  return undefined
}

const sentence = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

function auClasses(): LabelClass[] {
  const { aus } = readJson<{ aus: AuEntry[] }>('aus.json')
  return aus
    .filter((a) => a.id <= 46)
    .map((a) => ({
      code: a.code,
      kind: 'au' as const,
      name: a.name,
      description: `${sentence(a.region)} face; ${a.muscles}.`,
      auNumber: a.id,
    }))
}

function compoundClasses(): LabelClass[] {
  const file = readJson<{
    categories: CompoundEntry[]
    emotionet_cvpr2016_extra_categories?: CompoundEntry[]
    dataset_compound_sets: Record<string, string[]>
  }>('compound.json')
  const entries = [...file.categories, ...(file.emotionet_cvpr2016_extra_categories ?? [])].filter(
    (c) => c.type !== 'basic',
  )
  const byId = new Map(entries.map((c) => [c.id, c]))
  // RAF-CE names a few compounds that the PNAS table lacks; keep them so RAF-CE imports map.
  for (const id of Object.values(file.dataset_compound_sets).flat()) {
    if (!byId.has(id))
      byId.set(id, {
        id,
        type: 'compound',
        components: id.split('_').map((p) => p.replace(/ly$/, '')),
        prototypical_aus: [],
      })
  }
  return [...byId.values()].map((c) => {
    const aus = c.prototypical_aus.length
      ? `; prototypical AUs ${c.prototypical_aus.join('+')} (Du, Tao & Martinez 2014)`
      : ''
    return {
      code: c.id,
      kind: 'compound' as const,
      name: sentence(c.id.replace(/_/g, ' ')),
      description: `Compound of ${c.components.join(' and ')}${aus}.`,
    }
  })
}

let cached: LabelClass[] | undefined

/** Every class of the union label space: emotions first (fixed order), then AUs by number, then compounds. */
export function allClasses(): LabelClass[] {
  if (cached) return cached
  const emotions: LabelClass[] = EMOTION_CODES.map((code) => ({
    code,
    kind: 'emotion',
    name: EMOTION_TEXT[code][0],
    description: EMOTION_TEXT[code][1],
  }))
  cached = [...emotions, ...auClasses(), ...compoundClasses()]
  return cached
}

/** EMFACS prototypes of the basic emotions as AU numbers, keyed by catalogue code. */
export function emotionPrototypes(): Record<EmotionCode, number[]> {
  const { prototypes } = readJson<{ prototypes: Record<string, { aus: number[] }> }>('emfacs.json')
  const out = { neutral: [] } as unknown as Record<EmotionCode, number[]>
  for (const [canonical, p] of Object.entries(prototypes)) out[CANONICAL_TO_CODE[canonical]] = p.aus
  return out
}

/** Compound emotion prototypes (Du et al. 2014), keyed by compound code. */
export function compoundPrototypes(): Record<string, number[]> {
  const file = readJson<{ categories: CompoundEntry[] }>('compound.json')
  return Object.fromEntries(file.categories.filter((c) => c.type === 'compound').map((c) => [c.id, c.prototypical_aus]))
}
