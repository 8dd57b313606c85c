// What a demo face is made of: the Action Units it shows (FACS intensity 0..5, 0 = absent, 1..5 =
// A..E) and the nuisance that has nothing to do with expression (pose, identity, lighting, camera,
// occluders). The truth file of every demo dataset stores exactly these values.

/** Action Units the face model draws, each visible the way a FACS coder would recognise it. */
export const DRAWN_AUS = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 16, 17, 20, 23, 24, 25, 26] as const

/** AU number -> intensity 0..5 (fractions allowed when rendering; datasets store whole numbers). */
export type AuIntensities = Partial<Record<number, number>>

/** Identity: proportions that differ from person to person. 1 is the average face. */
export interface FaceShape {
  width: number
  height: number
  jaw: number
  eyeSpacing: number
  eyeSize: number
  browThickness: number
  mouthWidth: number
  lipFullness: number
  noseLength: number
}

export type HairStyle = 'bald' | 'short' | 'long' | 'bangs'
export type Glasses = 'none' | 'clear' | 'sun'
export type HandPlace = 'mouth' | 'chin' | 'cheek-left' | 'cheek-right'

/** A hand held in front of the face; x, y are the palm centre in face units (0..100). */
export interface HandPose {
  place: HandPlace
  x: number
  y: number
  angleDeg: number
  scale: number
}

export interface Nuisance {
  /** In-plane head rotation (tilt), degrees. */
  rollDeg: number
  /** Simulated head turn, radians; positive turns the face towards the right of the image. */
  yaw: number
  scale: number
  /** Offset of the face centre, face units (the image is 100 units wide). */
  dx: number
  dy: number
  shape: FaceShape
  skin: string
  hair: string
  hairStyle: HairStyle
  /** Eye colour (iris). */
  iris: string
  background: string
  shirt: string
  /** Direction the light comes from (degrees, 0 = from the left) and how strong the gradient is. */
  lightAngleDeg: number
  lightStrength: number
  /** Standard deviation of the pixel noise, grey levels. */
  noise: number
  noiseSeed: number
  glasses: Glasses
  hand: HandPose | null
}

export interface FaceParams {
  aus: AuIntensities
  nuisance: Nuisance
}

export const AVERAGE_SHAPE: FaceShape = {
  width: 1,
  height: 1,
  jaw: 1,
  eyeSpacing: 0,
  eyeSize: 1,
  browThickness: 1,
  mouthWidth: 1,
  lipFullness: 1,
  noseLength: 1,
}

/** Frontal, centred, evenly lit, noiseless, unoccluded: the face as a FACS manual would show it. */
export function plainNuisance(): Nuisance {
  return {
    rollDeg: 0,
    yaw: 0,
    scale: 1,
    dx: 0,
    dy: 0,
    shape: { ...AVERAGE_SHAPE },
    skin: '#e2b08c',
    hair: '#3b2417',
    hairStyle: 'short',
    iris: '#4a6a8a',
    background: '#9fb4c4',
    shirt: '#45627f',
    lightAngleDeg: 0,
    lightStrength: 0,
    noise: 0,
    noiseSeed: 1,
    glasses: 'none',
    hand: null,
  }
}

/** A plain face showing the given AUs. */
export const plainFace = (aus: AuIntensities = {}): FaceParams => ({ aus, nuisance: plainNuisance() })

/** Activation 0..1 of an AU, from its 0..5 intensity. */
export const activation = (aus: AuIntensities, au: number): number => Math.min(Math.max((aus[au] ?? 0) / 5, 0), 1)
