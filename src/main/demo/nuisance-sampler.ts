import { alongPalette, hsl, mix } from './colour'
import type { HandPlace, HandPose, Nuisance } from './face-params'
import type { Sampler } from './sampler'

// Everything about a demo face that is not its expression, drawn at random so that a model cannot
// read the emotion off the pose, the person, the light or the camera.

const SKIN = ['#f7e0cf', '#eec1a0', '#d99f76', '#b57a50', '#8a5836', '#5e3a24', '#45291a']
const HAIR = ['#16100c', '#2e1c12', '#4d3020', '#7a5232', '#b08850', '#d8c08a', '#8f8f8f', '#8a3a1a']
const IRIS = ['#4a6a8a', '#5b4030', '#3a2a20', '#4f7a4a', '#6b5a3a', '#7a8aa0']

function hand(s: Sampler): HandPose {
  const place = s.weighted<HandPlace>({ mouth: 0.35, chin: 0.25, 'cheek-left': 0.2, 'cheek-right': 0.2 })
  switch (place) {
    case 'mouth':
      return {
        place,
        x: 50 + s.uniform(-5, 5),
        y: 83 + s.uniform(-2, 3),
        angleDeg: s.uniform(-20, 20),
        scale: s.uniform(0.95, 1.15),
      }
    case 'chin':
      return {
        place,
        x: 50 + s.uniform(-6, 6),
        y: 101 + s.uniform(-2, 2),
        angleDeg: s.uniform(-15, 15),
        scale: s.uniform(1, 1.15),
      }
    case 'cheek-left':
      return {
        place,
        x: 19 + s.uniform(-3, 3),
        y: 72 + s.uniform(-3, 3),
        angleDeg: 25 + s.uniform(-10, 10),
        scale: s.uniform(0.95, 1.1),
      }
    case 'cheek-right':
      return {
        place,
        x: 81 + s.uniform(-3, 3),
        y: 72 + s.uniform(-3, 3),
        angleDeg: -25 + s.uniform(-10, 10),
        scale: s.uniform(0.95, 1.1),
      }
  }
}

/** Three decimals: the truth file stays short and still reproduces the image exactly. */
const r3 = (v: number): number => Math.round(v * 1000) / 1000

function roundAll<T>(value: T): T {
  if (typeof value === 'number') return r3(value) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'noiseSeed' ? v : roundAll(v)])) as T
  }
  return value
}

export function sampleNuisance(s: Sampler): Nuisance {
  return roundAll(drawNuisance(s))
}

function drawNuisance(s: Sampler): Nuisance {
  const skin = mix(alongPalette(SKIN, s.random()), s.pick(['#c08060', '#e0c090', '#d09080']), s.uniform(0, 0.15))
  return {
    rollDeg: Math.max(-15, Math.min(15, s.normal() * 6)),
    yaw: s.uniform(-0.35, 0.35),
    scale: s.uniform(0.8, 1.06),
    dx: s.uniform(-6, 6),
    dy: s.uniform(-5, 6),
    shape: {
      width: s.uniform(0.9, 1.08),
      height: s.uniform(0.93, 1.06),
      jaw: s.uniform(0.85, 1.15),
      eyeSpacing: s.uniform(-1.5, 1.5),
      eyeSize: s.uniform(0.88, 1.1),
      browThickness: s.uniform(0.75, 1.3),
      mouthWidth: s.uniform(0.88, 1.12),
      lipFullness: s.uniform(0.8, 1.25),
      noseLength: s.uniform(0.88, 1.1),
    },
    skin,
    hair: mix(s.pick(HAIR), '#806040', s.uniform(0, 0.15)),
    hairStyle: s.weighted({ bald: 0.08, short: 0.45, long: 0.3, bangs: 0.17 }),
    iris: s.pick(IRIS),
    background: hsl(s.uniform(0, 360), s.uniform(0.05, 0.4), s.uniform(0.2, 0.85)),
    shirt: hsl(s.uniform(0, 360), s.uniform(0.15, 0.6), s.uniform(0.2, 0.65)),
    lightAngleDeg: s.uniform(0, 360),
    lightStrength: s.uniform(0, 0.4) * s.random(),
    noise: s.uniform(0, 9),
    noiseSeed: s.seed(),
    glasses: s.weighted({ none: 0.8, clear: 0.14, sun: 0.06 }),
    hand: s.chance(0.08) ? hand(s) : null,
  }
}

/**
 * AUs an annotator could not code on this face because something covers their evidence: a hand
 * over the mouth hides the lower face, one under the chin hides the chin, sunglasses the lids.
 * Their labels are written as unknown; the truth file keeps their real intensity.
 */
export function occludedAus(nu: Nuisance): number[] {
  const hidden = new Set<number>()
  if (nu.hand?.place === 'mouth') for (const au of [10, 12, 14, 15, 16, 17, 20, 23, 24, 25, 26]) hidden.add(au)
  if (nu.hand?.place === 'chin') for (const au of [17, 26]) hidden.add(au)
  if (nu.glasses === 'sun') for (const au of [5, 7]) hidden.add(au)
  return [...hidden].sort((a, b) => a - b)
}
