import { runFig2Score } from '../../insights/fig2-score'
import { cellImages, truthByEmotion } from '../../insights/heatmap-cells'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** insights.*: the faces behind a heatmap cell, and the Fig. 2 matrix of the demo's hidden truth. */
export const insightsHandlers = (ctx: WorkbenchContext) => {
  const db = () => ctx.requireWorkspace().db
  return {
    'insights.cellImages': (args) => cellImages(db(), args),
    'insights.truthByEmotion': (scope) => truthByEmotion(db(), scope),
    'insights.fig2Score': ({ runId, split, datasets }) => runFig2Score(db(), runId, split, datasets),
  } satisfies Partial<Handlers>
}
