import { readFileSync } from 'node:fs'
import type { EmotionCode } from '../../shared/labels'
import { emotionCodeOf } from '../labels/label-space'
import { resourcePath } from '../app/resources'
import { DRAWN_AUS } from './face-params'

// The AU recipes the demo composes its expressions from: the EMFACS prototypes of the basic
// emotions (emfacs.json) and the compound emotions of Du, Tao & Martinez 2014 (compound.json), each
// with the AUs that commonly vary around it (the variant rates of the same table).

export interface Recipe {
  /** The prototype's AUs, each with the intensity the table gives (undefined = free). */
  aus: { au: number; intensity?: number }[]
  /** AUs that may join the prototype on some faces, with their probability. */
  variants: { au: number; p: number }[]
}

/** The 7 emotions of demo-emotion, in the workbench's order. */
export const DEMO_EMOTIONS = [
  'angry',
  'disgust',
  'fear',
  'happy',
  'sad',
  'surprise',
  'neutral',
] as const satisfies readonly EmotionCode[]
export type DemoEmotion = (typeof DEMO_EMOTIONS)[number]

/** The compounds of demo-compound: RAF-DB's 11, as in the paper's compound experiment. */
const COMPOUND_SET = 'rafdb_compound_11'

const LETTER: Record<string, number> = { A: 1, B: 2, C: 3, D: 4, E: 5 }
const drawn = (au: number): boolean => (DRAWN_AUS as readonly number[]).includes(au)

interface EmfacsFile {
  prototypes: Record<string, { aus: number[]; intensity?: Record<string, string> }>
}
interface CompoundRow {
  id: string
  type: string
  components: string[]
  prototypical_aus: number[]
  variants: { au: number; pct: number }[]
}
interface CompoundFile {
  categories: CompoundRow[]
  dataset_compound_sets: Record<string, string[]>
}

function readLabels<T>(name: string): T {
  const file = resourcePath('labels', name)
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch (err) {
    throw new Error(`demo generator: cannot read ${file}: ${(err as Error).message}`, { cause: err })
  }
}

/** Basic emotion -> recipe. Variants are the AUs Du et al. found beyond the EMFACS prototype. */
export function emotionRecipes(): Record<DemoEmotion, Recipe> {
  const emfacs = readLabels<EmfacsFile>('emfacs.json')
  const compound = readLabels<CompoundFile>('compound.json')
  const out = { neutral: { aus: [], variants: [] } } as unknown as Record<DemoEmotion, Recipe>
  for (const [name, proto] of Object.entries(emfacs.prototypes)) {
    const code = emotionCodeOf(name)
    if (!code || !(DEMO_EMOTIONS as readonly string[]).includes(code)) continue
    const aus = proto.aus.filter(drawn).map((au) => ({ au, intensity: LETTER[proto.intensity?.[au] ?? ''] }))
    const basic = compound.categories.find((c) => c.type === 'basic' && emotionCodeOf(c.id) === code)
    const inProto = new Set(aus.map((a) => a.au))
    const variants = basic
      ? [...basic.prototypical_aus.map((au) => ({ au, pct: 70 })), ...basic.variants]
          .filter((v) => drawn(v.au) && !inProto.has(v.au))
          .map((v) => ({ au: v.au, p: v.pct / 100 / 2 }))
      : []
    out[code as DemoEmotion] = { aus, variants }
  }
  for (const e of DEMO_EMOTIONS) if (!out[e]) throw new Error(`demo generator: emfacs.json has no prototype for "${e}"`)
  return out
}

/** Compound code -> recipe, for the compounds demo-compound uses. */
export function compoundRecipes(): Record<string, Recipe> {
  const file = readLabels<CompoundFile>('compound.json')
  const ids = file.dataset_compound_sets[COMPOUND_SET]
  if (!ids) throw new Error(`demo generator: compound.json has no dataset_compound_sets.${COMPOUND_SET}`)
  const out: Record<string, Recipe> = {}
  for (const id of ids) {
    const row = file.categories.find((c) => c.id === id)
    if (!row) throw new Error(`demo generator: compound.json has no category "${id}"`)
    out[id] = {
      aus: row.prototypical_aus.filter(drawn).map((au) => ({ au })),
      variants: row.variants.filter((v) => drawn(v.au)).map((v) => ({ au: v.au, p: v.pct / 100 })),
    }
  }
  return out
}
