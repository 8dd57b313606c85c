// The demo dataset generator: procedurally drawn faces driven by Action Units, three datasets
// (emotion-only, AU-only, compound) with their hidden truth, and a contact sheet.

export {
  generateDemo,
  DEFAULT_DEMO_SEED,
  type DemoManifest,
  type DemoDatasetManifest,
  type GenerateDemoOptions,
} from './generate'
export { renderContactSheet, type ContactSheetOptions } from './contact-sheet'
export { renderFacePng, renderFaceRgb, type RenderOptions } from './render'
export { faceSvg } from './face-svg'
export { plainFace, plainNuisance, DRAWN_AUS, type FaceParams, type Nuisance, type AuIntensities } from './face-params'
export { DEMO_SIZES, splitCounts, type DemoSize, type DemoDatasetName } from './plan'
export { DEMO_EMOTIONS } from './prototypes'
export type { TruthFile, TruthImage } from './dataset-files'
