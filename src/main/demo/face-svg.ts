import { faceGeometry, type Geometry } from './face-geometry'
import type { FaceParams, Nuisance } from './face-params'
import { lowerFaceSvg } from './lower-face-svg'
import { glassesSvg, hairBehindSvg, hairFrontSvg, handSvg } from './occluders-svg'
import { paletteOf, type Palette } from './palette'
import { n, p, pt, projector, type Project } from './svg-kit'
import { upperFaceSvg } from './upper-face-svg'

// A face as an SVG document: the face drawn on a 100 x 100 canvas, then tilted, scaled and moved
// as a whole (roll, scale, position), lit by a gradient. Pixel noise is added after rendering.
// The image shows FRAME of that canvas, from the top of the forehead to the chin: aligned face
// crops (as SFEW's) fill the frame with the face, and at the 32 x 32 pixels a network reads, a
// loosely framed face leaves a pixel or two per brow.

/** The square of the 100 x 100 face canvas the image shows: left, top and side, in face units. */
export const FRAME = { x: 16, y: 20, size: 68 } as const

const OUTLINE = 0.35

function headPath(g: Geometry, P: Project): string {
  const { halfWidth: hw, top, chinY, jawHalfWidth: jw } = g.head
  const q = (x: number, y: number): string => pt(P(p(x, y), 0, OUTLINE))
  return (
    `M${q(50 - hw, 48)} C${q(50 - hw, top + 2)} ${q(50 - hw * 0.55, top)} ${q(50, top)} ` +
    `C${q(50 + hw * 0.55, top)} ${q(50 + hw, top + 2)} ${q(50 + hw, 48)} ` +
    `C${q(50 + hw, 66)} ${q(50 + jw, chinY - 1)} ${q(50, chinY)} ` +
    `C${q(50 - jw, chinY - 1)} ${q(50 - hw, 66)} ${q(50 - hw, 48)} Z`
  )
}

function bodySvg(nu: Nuisance, g: Geometry, P: Project, pal: Palette): string {
  const q = (x: number, y: number): string => pt(P(p(x, y), 0, OUTLINE * 0.5))
  const neck = `M${q(39, 66)} L${q(61, 66)} L${q(62, 104)} L${q(38, 104)} Z`
  const shirt = `M${q(4, 110)} C${q(8, 92)} ${q(26, 88)} ${q(39, 88)} Q${q(50, 95)} ${q(61, 88)} C${q(74, 88)} ${q(92, 92)} ${q(96, 110)} Z`
  const ears = [-1, 1].map((s) => {
    const c = P(p(50 + s * g.head.halfWidth, 52), -12, 0)
    return `<ellipse cx="${n(c.x)}" cy="${n(c.y)}" rx="4" ry="7" fill="${pal.skin}" stroke="${pal.shade}" stroke-width="0.8"/>`
  })
  return `<path d="${neck}" fill="${pal.neck}"/><path d="${shirt}" fill="${nu.shirt}"/>${ears.join('')}`
}

function lightSvg(nu: Nuisance): string {
  if (nu.lightStrength <= 0.005) return ''
  const a = (nu.lightAngleDeg * Math.PI) / 180
  const [cx, cy] = [Math.cos(a) / 2, Math.sin(a) / 2]
  const k = nu.lightStrength
  return (
    `<linearGradient id="light" x1="${n(0.5 - cx)}" y1="${n(0.5 - cy)}" x2="${n(0.5 + cx)}" y2="${n(0.5 + cy)}">` +
    `<stop offset="0" stop-color="#ffffff" stop-opacity="${n(k * 0.8)}"/><stop offset="0.5" stop-color="#808080" stop-opacity="0"/>` +
    `<stop offset="1" stop-color="#000000" stop-opacity="${n(k)}"/></linearGradient>` +
    `<rect x="${FRAME.x}" y="${FRAME.y}" width="${FRAME.size}" height="${FRAME.size}" fill="url(#light)"/>`
  )
}

/** The SVG document of one face, `size` pixels square. */
export function faceSvg(face: FaceParams, size = 64): string {
  const nu = face.nuisance
  const g = faceGeometry(face.aus, nu.shape)
  const P = projector(nu.yaw, g.head.halfWidth)
  const pal = paletteOf(nu)
  const place = `translate(${n(50 + nu.dx)} ${n(50 + nu.dy)}) rotate(${n(nu.rollDeg)}) scale(${n(nu.scale)}) translate(-50 -50)`
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="${FRAME.x} ${FRAME.y} ${FRAME.size} ${FRAME.size}">` +
    `<rect width="100" height="100" fill="${nu.background}"/>` +
    `<g transform="${place}">` +
    hairBehindSvg(nu, g, P) +
    bodySvg(nu, g, P, pal) +
    `<path d="${headPath(g, P)}" fill="${pal.skin}" stroke="${pal.shade}" stroke-width="0.9"/>` +
    upperFaceSvg(g, P, pal) +
    lowerFaceSvg(g, P, pal) +
    hairFrontSvg(nu, g, P) +
    glassesSvg(nu, g, P) +
    handSvg(nu.hand, pal) +
    '</g>' +
    lightSvg(nu) +
    '</svg>'
  )
}
