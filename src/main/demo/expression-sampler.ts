import { PAPER_AUS } from '../../shared/labels'
import type { AuIntensities } from './face-params'
import type { Recipe } from './prototypes'
import type { Sampler } from './sampler'

// Expressions built from the AU recipes with the variation real posers show: a whole face more or
// less intense, each AU a little more or less, now and then a prototype AU missing or a variant AU
// added.

const P_DROP = 0.15

const intensityAround = (mean: number, s: Sampler): number =>
  Math.max(1, Math.min(5, Math.round(mean + s.normal() * 0.8)))

/** FACS: a dropped jaw nearly always parts the lips. */
function partLipsWithJaw(aus: AuIntensities, s: Sampler): void {
  const jaw = aus[26]
  if (jaw && !aus[25] && s.chance(0.85)) aus[25] = intensityAround(jaw, s)
}

/**
 * How intense a whole face is, as a share of the strongest (E). Posed faces start at 0.6: with
 * fainter faces (0.45) most AUs sit at A or B, a pixel or less at the 32 x 32 a network reads, and
 * the tour's SJMT run scored 8 points lower on emotions (68.6% vs 76.7%, medium demo, 1,200 steps).
 */
const EXPRESSIVENESS = { min: 0.6, max: 1 }

export function sampleExpression(recipe: Recipe, s: Sampler): AuIntensities {
  const expressiveness = s.uniform(EXPRESSIVENESS.min, EXPRESSIVENESS.max)
  const proto = recipe.aus.slice()
  if (proto.length >= 2 && s.chance(P_DROP)) proto.splice(s.int(0, proto.length - 1), 1)
  const aus: AuIntensities = {}
  for (const { au, intensity } of proto) aus[au] = intensityAround(intensity ?? 5 * expressiveness, s)
  for (const v of recipe.variants) if (s.chance(v.p)) aus[v.au] = intensityAround(5 * expressiveness - 1, s)
  partLipsWithJaw(aus, s)
  return aus
}

/**
 * AU-only faces: some pose an emotion or a compound (AUs co-occur as in real faces), others move
 * each of the paper's 11 AUs independently, so that no AU can be read off another.
 */
export function sampleAuFace(s: Sampler, emotions: Recipe[], compounds: Recipe[]): AuIntensities {
  const r = s.random()
  if (r < 0.4) return sampleExpression(s.pick(emotions), s)
  if (r < 0.6) return sampleExpression(s.pick(compounds), s)
  const aus: AuIntensities = {}
  for (const au of PAPER_AUS) if (s.chance(0.22)) aus[au] = s.int(1, 5)
  partLipsWithJaw(aus, s)
  return aus
}
