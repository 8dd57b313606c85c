import { activation, type AuIntensities, type FaceShape } from './face-params'

// Where the parts of the face sit for a set of AU activations, in face units on a 100 x 100 canvas
// of a frontal face (x to the right of the image, y down). Each AU moves what its muscle moves in
// the FACS manual, and nothing else, so that an AU's evidence stays in its own region of the face.
// Sides: -1 is the left of the image, +1 the right.

export interface Pt {
  x: number
  y: number
}

export interface Brow {
  inner: Pt
  mid: Pt
  outer: Pt
  thickness: number
}

export interface Eye {
  cx: number
  cy: number
  halfWidth: number
  /** Height of the upper lid's apex above the eye centre (AU5 raises it, AU7 lowers it). */
  upper: number
  /** Depth of the lower lid below the eye centre (AU6 and AU7 push it up). */
  lower: number
  irisR: number
  /** Opacity of the lid crease, which the raised lid of AU5 hides. */
  creaseOpacity: number
}

export interface Mouth {
  left: Pt
  right: Pt
  /** Centre heights: top of the upper lip, where the upper lip ends, lower lip's top and bottom. */
  upperTop: number
  upperEdge: number
  lowerTop: number
  lowerBottom: number
}

export interface Geometry {
  head: { halfWidth: number; top: number; chinY: number; jawHalfWidth: number }
  brows: [Brow, Brow]
  eyes: [Eye, Eye]
  /** Opacities of the lines an AU etches into the skin, 0 when the AU is absent. */
  lines: {
    foreheadCentre: number
    foreheadSides: number
    glabella: number
    crowsFeet: number
    infraorbital: number
    noseWrinkle: number
    noseFurrow: number
    nasolabial: number
    dimple: number
    cornerDepressor: number
    lipPress: number
    chinWrinkle: number
  }
  cheekY: number
  cheekBlush: number
  nose: { rootY: number; tipY: number; wing: number; wingLift: number }
  mouth: Mouth
  chin: { bossY: number; bossOpacity: number; sulcusY: number; sulcusOpacity: number }
}

export function faceGeometry(aus: AuIntensities, shape: FaceShape): Geometry {
  const t = (au: number): number => activation(aus, au)
  const [t1, t2, t4, t5, t6, t7, t9, t10] = [1, 2, 4, 5, 6, 7, 9, 10].map(t)
  const [t12, t14, t15, t16, t17, t20, t23, t24, t25, t26] = [12, 14, 15, 16, 17, 20, 23, 24, 25, 26].map(t)

  const side = (s: -1 | 1): { brow: Brow; eye: Eye } => {
    const spread = shape.eyeSpacing
    // AU1 lifts the inner brow (oblique brow), AU2 the outer (arched brow), AU4 pulls the inner
    // brow down and towards the nose (knitting).
    const brow: Brow = {
      inner: { x: 50 + s * (6.5 + spread - 2.6 * t4), y: 39 - 5.5 * t1 + 4 * t4 },
      mid: { x: 50 + s * (13.5 + spread), y: 36.5 - 2.5 * t1 - 3.5 * t2 + 2.6 * t4 },
      outer: { x: 50 + s * (20.5 + spread), y: 38.5 - 5.5 * t2 + 1.2 * t4 },
      thickness: 2.6 * shape.browThickness,
    }
    const eye: Eye = {
      cx: 50 + s * (13 + spread),
      cy: 47,
      halfWidth: 6.4 * shape.eyeSize,
      upper: (3.2 + 4.2 * t5 - 1.1 * t7 - 0.5 * t6) * shape.eyeSize,
      lower: Math.max(0.5, (2.8 + 0.3 * t5 - 1.6 * t6 - 1.8 * t7) * shape.eyeSize),
      irisR: 3.2 * shape.eyeSize,
      creaseOpacity: 0.5 * (1 - t5),
    }
    return { brow, eye }
  }
  const left = side(-1)
  const right = side(1)

  const tipY = 47 + 14 * shape.noseLength

  // Mouth: AU12 pulls the corners up and out, AU15 down, AU20 straight out; AU23/24 narrow and
  // thin the lips; AU17 pushes the lower lip (and with it the lip line) up; AU10 lifts the upper
  // lip; AU25 parts the lips, AU26 drops the jaw (a wide opening only when the lips part).
  const y0 = 72
  const parted = t25 > 0
  const open = (parted ? 1.2 + 3 * t25 + 7 * t26 + 2.2 * t16 : 0) + 1.8 * t10 + (parted ? 0 : 1.2 * t16)
  // An opening mouth rounds into an oval (upper lip centre up, corners down and in), so that lips
  // apart without AU12 do not read as a grin.
  const half =
    10.2 * shape.mouthWidth + 3 * t12 + 4.5 * t20 - 0.6 * t15 - 2.2 * t23 - 1.2 * t24 - 0.6 * t14 - 0.12 * open
  const cornerY = y0 - 5.5 * t12 + 4.2 * t15 + 0.8 * t20 - 0.6 * t14 + 0.25 * open
  const upperEdge = y0 - 2.2 * t17 - 1.6 * t10 + 2.2 * t15 - 0.6 * t12 - 0.25 * open
  const thin = (k20: number, k23: number, k24: number): number => Math.max(0.35, 1 - k20 * t20 - k23 * t23 - k24 * t24)
  const upperThick = 3 * shape.lipFullness * thin(0.35, 0.55, 0.5) * (1 - 0.15 * t12)
  const lowerTop = upperEdge + open
  const lowerThick = 3.6 * shape.lipFullness * thin(0.35, 0.5, 0.45) + 1 * t16 + 0.8 * t17 + (parted ? 0.4 : 2.4) * t26
  const mouth: Mouth = {
    left: { x: 50 - half, y: cornerY },
    right: { x: 50 + half, y: cornerY },
    upperTop: upperEdge - upperThick,
    upperEdge,
    lowerTop,
    // When the corners drop below the lip line (AU15), the lower lip's bottom must drop with them
    // or the lip would shrink to a sliver.
    lowerBottom: lowerTop + lowerThick + 0.7 * Math.max(0, cornerY - lowerTop),
  }

  const chinY = 50 + 40 * shape.height + 8.5 * t26
  return {
    head: {
      halfWidth: 28.5 * shape.width,
      top: 50 - 38 * shape.height,
      chinY,
      jawHalfWidth: 19 * shape.jaw * shape.width,
    },
    brows: [left.brow, right.brow],
    eyes: [left.eye, right.eye],
    lines: {
      foreheadCentre: 0.9 * t1,
      foreheadSides: 0.9 * t2,
      glabella: t4,
      crowsFeet: 0.9 * t6,
      infraorbital: 0.8 * Math.max(t6, 0.6 * t7),
      noseWrinkle: t9,
      noseFurrow: 0.75 * t9,
      nasolabial: Math.max(0.85 * t12, 0.75 * t10),
      dimple: t14,
      cornerDepressor: 0.8 * t15,
      lipPress: Math.max(t24, 0.6 * t23),
      chinWrinkle: 0.9 * t17,
    },
    cheekY: 61 - 4.5 * t6,
    cheekBlush: 0.1 + 0.3 * t6,
    nose: { rootY: 44, tipY, wing: 5 + 1.3 * t9 + 0.4 * t10, wingLift: 1.7 * t9 + 0.6 * t10 },
    mouth,
    chin: {
      bossY: Math.max(mouth.lowerBottom + 4, chinY - 6.5 - 3 * t17),
      bossOpacity: 0.08 + 0.3 * t17,
      sulcusY: mouth.lowerBottom + 2.6 - 0.6 * t17,
      sulcusOpacity: 0.25 + 0.6 * t17,
    },
  }
}
