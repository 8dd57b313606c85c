import type { Landmark } from '../../shared/faces'
import { faceGeometry, type Eye, type Geometry, type Pt } from './face-geometry'
import type { FaceParams, Nuisance } from './face-params'
import { FRAME } from './face-svg'
import { p, projector, through, type Project } from './svg-kit'

// The 68 landmarks (iBUG 300-W layout) of a demo face, exactly where the drawing puts its features:
// each point is taken on the curve face-svg.ts draws (jaw, brows, nose, eye lids, lips) with the
// same depth for the simulated head turn, then moved with the face's roll, scale and offset, and
// given in pixels of the rendered image, (0, 0) at its top-left corner, as the face finder gives
// them for a photo. "Image left" is the subject's right, as in the layout.

type Curve = (t: number) => Pt

const quad =
  (a: Pt, c: Pt, b: Pt): Curve =>
  (t) => ({
    x: (1 - t) ** 2 * a.x + 2 * t * (1 - t) * c.x + t ** 2 * b.x,
    y: (1 - t) ** 2 * a.y + 2 * t * (1 - t) * c.y + t ** 2 * b.y,
  })

const cubic =
  (a: Pt, c1: Pt, c2: Pt, b: Pt): Curve =>
  (t) => {
    const u = 1 - t
    return {
      x: u ** 3 * a.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t ** 3 * b.x,
      y: u ** 3 * a.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t ** 3 * b.y,
    }
  }

const along = (curve: Curve, ts: number[]): Pt[] => ts.map(curve)

/** Points 0-16: the jaw line of headPath, image-left ear level to chin (8) to image-right ear level. */
function jaw(g: Geometry): Pt[] {
  const { halfWidth: hw, chinY, jawHalfWidth: jw } = g.head
  const side = (s: -1 | 1): Curve =>
    cubic(p(50 + s * hw, 48), p(50 + s * hw, 66), p(50 + s * jw, chinY - 1), p(50, chinY))
  const ts = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => k / 8)
  return [...along(side(-1), ts), p(50, chinY), ...along(side(1), ts).reverse()]
}

/** Points 17-26: each brow's centre line, outer to inner on the image's left, inner to outer on its right. */
function brows(g: Geometry): Pt[] {
  const line = (i: 0 | 1): Pt[] => {
    const b = g.brows[i]
    return along(quad(b.outer, through(b.outer, b.mid, b.inner), b.inner), [0, 0.25, 0.5, 0.75, 1])
  }
  return [...line(0), ...line(1).reverse()]
}

/** Points 36-41 or 42-47: corner, two on the upper lid, corner, two on the lower lid, clockwise from the outer (left) corner of the image-left eye. */
function eye(e: Eye): Pt[] {
  const l = p(e.cx - e.halfWidth, e.cy)
  const r = p(e.cx + e.halfWidth, e.cy)
  const upper = quad(l, p(e.cx, e.cy - 2 * e.upper), r)
  const lower = quad(l, p(e.cx, e.cy + 2 * e.lower), r)
  // Both eyes go clockwise from their left corner: the outer corner of the image-left eye, the inner of the other.
  return [l, upper(1 / 3), upper(2 / 3), r, lower(2 / 3), lower(1 / 3)]
}

/** Points 48-67: outer lip line from the image-left corner clockwise, then the inner (opening) line. */
function lips(g: Geometry): Pt[] {
  const m = g.mouth
  const L = m.left
  const R = m.right
  const line = (centreY: number): Curve => quad(L, p(50, 2 * centreY - L.y), R)
  const t = m.upperTop
  const bowLeft = quad(L, p(L.x + (46.3 - L.x) * 0.45, t - 0.2), p(46.3, t))(0.5)
  const bowRight = quad(p(53.7, t), p(R.x - (R.x - 53.7) * 0.45, t - 0.2), R)(0.5)
  const outer = [L, bowLeft, p(46.3, t), p(50, t + 0.9), p(53.7, t), bowRight, R]
  const lowerOuter = along(
    line(m.lowerBottom),
    [5, 4, 3, 2, 1].map((k) => k / 6),
  )
  const inner = [L, ...along(line(m.upperEdge), [0.25, 0.5, 0.75]), R, ...along(line(m.lowerTop), [0.75, 0.5, 0.25])]
  return [...outer, ...lowerOuter, ...inner]
}

/** The 68 points in face units with the depth the drawing projects each with. */
function facePoints(g: Geometry, P: Project): Pt[] {
  const { rootY, tipY, wing, wingLift } = g.nose
  const y = tipY - wingLift
  const nostrils = quad(p(50 - 2.6, y + 1.4), p(50, tipY + 2.8 - 0.4 * wingLift), p(50 + 2.6, y + 1.4))
  // The base of the nose as nose() draws it: wing, past the nostril, under the tip, to the other wing.
  const wingCurve = (s: -1 | 1): Curve =>
    quad(p(50 + s * wing, tipY - 2.4 - wingLift), p(50 + s * (wing + 1.7), y + 1.2), p(50 + s * 2.6, y + 1.4))
  const outline = 0.35 // headPath's relief
  return [
    ...jaw(g).map((q) => P(q, 0, outline)),
    ...brows(g).map((q) => P(q, 1)),
    ...[0, 1, 2, 3].map((k) => P(p(50, rootY + (k * (tipY - rootY)) / 3), 4 + k)),
    P(wingCurve(-1)(0.5), 4),
    P(nostrils(0), 5),
    P(nostrils(0.5), 7),
    P(nostrils(1), 5),
    P(wingCurve(1)(0.5), 4),
    ...eye(g.eyes[0]).map((q) => P(q)),
    ...eye(g.eyes[1]).map((q) => P(q)),
    ...lips(g).map((q) => P(q, 2)),
  ]
}

/** Face units -> image pixels: the face's placement (translate, rotate, scale), then the FRAME the image shows. */
function toImage(nu: Nuisance, size: number): (q: Pt) => Landmark {
  const a = (nu.rollDeg * Math.PI) / 180
  const [c, s] = [Math.cos(a), Math.sin(a)]
  return (q) => {
    const x = (q.x - 50) * nu.scale
    const y = (q.y - 50) * nu.scale
    const X = 50 + nu.dx + x * c - y * s
    const Y = 50 + nu.dy + x * s + y * c
    return [((X - FRAME.x) / FRAME.size) * size, ((Y - FRAME.y) / FRAME.size) * size]
  }
}

/** The face's 68 landmarks in pixels of its `size` x `size` image. */
export function faceLandmarks(face: FaceParams, size: number): Landmark[] {
  const nu = face.nuisance
  const g = faceGeometry(face.aus, nu.shape)
  const points = facePoints(g, projector(nu.yaw, g.head.halfWidth))
  if (points.length !== 68) throw new Error(`demo landmarks: drew ${points.length} points, the layout has 68`)
  return points.map(toImage(nu, size))
}
