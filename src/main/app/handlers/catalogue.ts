import { browseImages, imagePosition, pageImages } from '../../catalogue/browse'
import { classIndex } from '../../catalogue/classes'
import { availability, listDatasets } from '../../catalogue/datasets'
import { imagePredictions } from '../../catalogue/image-predictions'
import { getImage, setReview } from '../../catalogue/images'
import { bulkReview } from '../../labels/bulk-edit'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** classes.*, datasets.*, images.* and labels.availability: reading and browsing the catalogue, and review status. */
export const catalogueHandlers = (ctx: WorkbenchContext) => {
  const db = () => ctx.requireWorkspace().db
  return {
    'classes.list': () => classIndex(db()).list,
    'datasets.list': () => listDatasets(db()),
    'labels.availability': () => availability(db()),
    'images.page': (args) => pageImages(db(), args),
    'images.browse': (args) => browseImages(db(), args),
    'images.position': ({ id, sort, order, ...query }) => imagePosition(db(), query, sort, order, id),
    'images.get': ({ id }) => getImage(db(), id),
    'images.predictions': ({ imageId, runId }) => imagePredictions(db(), imageId, runId),
    'images.setReview': ({ imageIds, status, note }) => ({ changed: setReview(db(), imageIds, status, note) }),
    'images.bulkReview': ({ selection, status }) => bulkReview(db(), selection, status),
  } satisfies Partial<Handlers>
}
