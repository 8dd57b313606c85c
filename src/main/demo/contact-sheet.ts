import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import sharp from 'sharp'
import { auCode } from '../../shared/labels'
import { deriveSeed } from '../../shared/random'
import { allClasses } from '../labels/label-space'
import { sampleExpression } from './expression-sampler'
import { DRAWN_AUS, plainFace, type AuIntensities, type FaceParams } from './face-params'
import { DEFAULT_DEMO_SEED } from './generate'
import { sampleNuisance } from './nuisance-sampler'
import { compoundRecipes, DEMO_EMOTIONS, emotionRecipes, type Recipe } from './prototypes'
import { mapLimit, renderFacePng } from './render'
import { hashText, Sampler } from './sampler'

// One picture to judge the generator at a glance: on the left a row per emotion and per compound
// (the prototype on a plain face, then faces as the datasets draw them), on the right a row per AU
// at intensity 0 to 5 on a plain face. If a row does not show what its label claims, the model
// trained on the demo learns nonsense.

const CELL = 128
const GAP = 6
const LABEL_W = 285
const FACES_PER_ROW = 7
const HEADER = 70
const SECTION = 34

interface Row {
  title: string
  subtitle: string
  faces: FaceParams[]
}
interface Panel {
  heading: string
  columns?: string[]
  rows: Row[]
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The prototype at a marked intensity (C), then faces drawn as the dataset draws them. */
function expressionRow(title: string, recipe: Recipe, s: Sampler): Row {
  const proto: AuIntensities = {}
  for (const { au, intensity } of recipe.aus) proto[au] = intensity ?? 4
  if (proto[26] && !proto[25]) proto[25] = proto[26]
  const faces = [plainFace(proto)]
  while (faces.length < FACES_PER_ROW) faces.push({ aus: sampleExpression(recipe, s), nuisance: sampleNuisance(s) })
  const recipeText = recipe.aus.map((a) => a.au).join('+') || 'no AU'
  return { title, subtitle: `AU ${recipeText}`, faces }
}

function panels(seed: number): Panel[] {
  const classes = new Map(allClasses().map((c) => [c.code, c]))
  const emotions = emotionRecipes()
  const compounds = compoundRecipes()
  const stream = (label: string): Sampler => new Sampler(deriveSeed(seed, hashText(`sheet:${label}`)))
  const left: Row[] = [
    ...DEMO_EMOTIONS.map((e) => expressionRow(classes.get(e)?.name ?? e, emotions[e], stream(e))),
    ...Object.entries(compounds).map(([c, r]) => expressionRow(classes.get(c)?.name ?? c, r, stream(c))),
  ]
  const right: Row[] = DRAWN_AUS.map((au) => ({
    title: auCode(au),
    subtitle: classes.get(auCode(au))?.name ?? '',
    faces: [0, 1, 2, 3, 4, 5].map((i) => plainFace({ [au]: i })),
  }))
  return [
    { heading: 'Emotions and compounds: prototype, then dataset faces', rows: left },
    {
      heading: 'Action Units on a plain face',
      columns: ['0', '1 (A)', '2 (B)', '3 (C)', '4 (D)', '5 (E)'],
      rows: right,
    },
  ]
}

/** Width of a panel at the reference cell size: the label column and its widest row of faces. */
const panelWidth = (panel: Panel): number =>
  LABEL_W + Math.max(...panel.rows.map((r) => r.faces.length)) * (CELL + GAP) + GAP

export interface ContactSheetOptions {
  seed?: number
  /** Pixel size of each face, 128 by default. */
  cell?: number
}

/** Writes a labelled PNG contact sheet of the demo faces to `file`. */
export async function renderContactSheet(file: string, opts: ContactSheetOptions = {}): Promise<void> {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED
  const cell = opts.cell ?? CELL
  const scale = cell / CELL
  const ps = panels(seed)
  const rowH = cell + GAP
  const lefts = ps.map((_, i) => GAP + ps.slice(0, i).reduce((sum, p) => sum + panelWidth(p) * scale, 0))
  const width = Math.round(lefts[ps.length - 1] + panelWidth(ps[ps.length - 1]) * scale + GAP)
  const height = Math.round(HEADER + SECTION + Math.max(...ps.map((p) => p.rows.length)) * rowH + GAP * 2)
  const text: string[] = [
    `<text x="${GAP * 2}" y="38" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="26" font-weight="bold" fill="#222">Affect Workbench demo faces (seed ${seed})</text>`,
    `<text x="${GAP * 2}" y="60" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="15" fill="#555">Drawn from AU activations; emotions from EMFACS (emfacs.json), compounds from Du et al. 2014 (compound.json).</text>`,
  ]
  const faces: { face: FaceParams; left: number; top: number }[] = []
  ps.forEach((panel, pi) => {
    const x0 = lefts[pi]
    const w = panelWidth(panel) * scale - GAP
    text.push(
      `<text x="${x0 + 6}" y="${HEADER + 22}" font-family="DejaVu Sans, sans-serif" font-size="19" font-weight="bold" fill="#333">${escapeXml(panel.heading)}</text>`,
    )
    panel.columns?.forEach((c, ci) => {
      const cx = x0 + LABEL_W * scale + ci * rowH + cell / 2
      text.push(
        `<text x="${cx}" y="${HEADER + 22}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="15" fill="#555">${escapeXml(c)}</text>`,
      )
    })
    panel.rows.forEach((row, ri) => {
      const y = HEADER + SECTION + ri * rowH
      if (ri % 2 === 0) text.push(`<rect x="${x0}" y="${y - GAP / 2}" width="${w}" height="${rowH}" fill="#eef0f3"/>`)
      text.push(
        `<text x="${x0 + 8}" y="${y + cell / 2 - 4}" font-family="DejaVu Sans, sans-serif" font-size="${Math.round(20 * Math.min(1, scale * 1.2))}" font-weight="bold" fill="#222">${escapeXml(row.title)}</text>`,
      )
      text.push(
        `<text x="${x0 + 8}" y="${y + cell / 2 + 18}" font-family="DejaVu Sans, sans-serif" font-size="${Math.round(14 * Math.min(1, scale * 1.2))}" fill="#555">${escapeXml(row.subtitle)}</text>`,
      )
      row.faces.forEach((face, fi) =>
        faces.push({ face, left: Math.round(x0 + LABEL_W * scale + fi * rowH), top: Math.round(y) }),
      )
    })
  })
  const background = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#ffffff"/>${text.join('')}</svg>`
  const tiles = await mapLimit(faces, 8, async (f) => ({
    input: await renderFacePng(f.face, { size: cell }),
    left: f.left,
    top: f.top,
  }))
  await mkdir(dirname(file), { recursive: true })
  // Indexed colour keeps the sheet near a megabyte; the dataset faces' noise defeats plain PNG.
  await sharp(Buffer.from(background)).composite(tiles).removeAlpha().png({ palette: true }).toFile(file)
}
