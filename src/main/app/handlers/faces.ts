import { editFace } from '../../catalogue/face-edits'
import { leakingPictures } from '../../catalogue/leakage'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'
import { annotator } from './labels'

/** How many leaking pictures a leakage report lists (it counts them all). */
const LEAKAGE_EXAMPLES = 50

/** faces.*: correcting a face's box or "not a face", and pictures leaking between datasets' splits. */
export const faceHandlers = (ctx: WorkbenchContext) =>
  ({
    'faces.edit': async ({ imageId, box, notAFace, who, reason }) => {
      const result = await editFace(ctx.requireWorkspace(), {
        imageId,
        box,
        notAFace,
        who: annotator(ctx, who),
        reason,
      })
      ctx.events.publish('labels.changed', { editId: null, imageIds: [imageId] })
      return result
    },
    'faces.leakage': () => {
      const leaks = leakingPictures(ctx.requireWorkspace().db)
      return { pictures: leaks.length, examples: leaks.slice(0, LEAKAGE_EXAMPLES) }
    },
  }) satisfies Partial<Handlers>
