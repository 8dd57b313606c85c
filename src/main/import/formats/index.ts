import type { DatasetReader, FormatName } from '../record'
import { affectnetReader } from './affectnet'
import { bp4dReader } from './bp4d'
import { ckplusReader } from './ckplus'
import { csvReader } from './csv'
import { emotionetReader } from './emotionet'
import { fer2013Reader } from './fer2013'
import { ferplusReader } from './ferplus'
import { folderReader } from './folder'
import { rafdbReader } from './rafdb'
import { sfewReader } from './sfew'
import { disfaReader } from './disfa'
import { videoReader } from './video'

// Every dataset layout the workbench reads in place, by its --format name.

export { FORMAT_NAMES, type FormatName } from '../record'
export { datasetFolder } from './common/root'

export const FORMATS: Record<FormatName, DatasetReader> = {
  folder: folderReader,
  csv: csvReader,
  fer2013: fer2013Reader,
  ferplus: ferplusReader,
  sfew: sfewReader,
  emotionet: emotionetReader,
  ckplus: ckplusReader,
  rafdb: rafdbReader,
  affectnet: affectnetReader,
  disfa: disfaReader,
  bp4d: bp4dReader,
  video: videoReader,
}
