import { availability, listDatasets } from './catalogue/datasets'
import { getImage, setReview } from './catalogue/images'
import { editLabels, undoEdit } from './catalogue/label-edits'
import { browseImages, imagePosition, pageImages } from './catalogue/browse'
import { imagePredictions } from './catalogue/image-predictions'
import { redoEdit, revertEdit } from './catalogue/label-redo'
import { bulkEdit, bulkReview } from './catalogue/selection'
import { readShortcuts, shortcutsFile, writeShortcuts } from './catalogue/shortcut-settings'
import { classIndex } from './catalogue/classes'
import type { WorkbenchContext } from './context'
import type { Handlers } from './router'
import { WorkbenchError } from '../shared/errors'
import { FORMATS, FORMAT_NAMES } from './import/formats'
import { importDataset } from './import/import-dataset'
import { evaluateRun } from './training/evaluate-run'
import { createExport, listExports } from './export/exports-service'
import { cellImages, truthByEmotion } from './training/heatmap-cells'
import { runBests } from './training/run-bests'
import { runMessages } from './training/run-messages'
import { runDetail } from './training/run-rows'
import { predictRun } from './training/predict-job'
import { listRuns, resumeRun, startRun, stopRun } from './training/runs-service'
import { createDemoWorkspace } from './services/demo-workspace'
import { appInfo, closeWorkspace, createWorkspace, openWorkspace } from './services/workspaces'

/** The most image ids a labels.changed event lists. */
const CHANGED_IDS_LIMIT = 10_000

/** Who an edit is recorded as: the name given with the call, else the remembered annotator. */
function annotator(ctx: WorkbenchContext, who: string | undefined): string {
  const name = who ?? ctx.settings.annotator
  if (!name) throw new WorkbenchError('invalid_arguments', 'Give your name once (Settings, or --who) so that label edits record who made them.', { field: 'who' })
  return name
}

/** Every method of the contract, bound to the services. */
export function createHandlers(ctx: WorkbenchContext): Handlers {
  const db = () => ctx.requireWorkspace().db
  return {
    'app.info': () => appInfo(ctx),
    'app.setAnnotator': ({ annotator: name }) => {
      ctx.settings.setAnnotator(name)
      return { annotator: name }
    },
    'workspace.create': ({ path }) => createWorkspace(ctx, path),
    'workspace.open': ({ path }) => openWorkspace(ctx, path),
    'workspace.close': () => closeWorkspace(ctx),
    'classes.list': () => classIndex(db()).list,
    'datasets.list': () => listDatasets(db()),
    'images.page': (args) => pageImages(db(), args),
    'images.get': ({ id }) => getImage(db(), id),
    'images.setReview': ({ imageIds, status, note }) => ({ changed: setReview(db(), imageIds, status, note) }),
    'labels.availability': () => availability(db()),
    'labels.edit': async ({ changes, reason, who }) => {
      const result = await editLabels(db(), changes, annotator(ctx, who), reason)
      const imageIds = [...new Set(changes.map((c) => c.imageId))]
      // Past a few thousand images, listeners are told "many" (like a bulk edit) rather than sent every id.
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: imageIds.length <= CHANGED_IDS_LIMIT ? imageIds : [] })
      return result
    },
    'import.formats': () => FORMAT_NAMES.map((format) => ({ format, describe: FORMATS[format].describe })),
    'import.run': async ({ format, path, name, options, split }) => {
      const report = await importDataset(ctx.requireWorkspace(), { format, path, name, options, split }, ctx.events)
      ctx.events.publish('workspace.changed', { workspace: ctx.requireWorkspace().info() })
      return report
    },
    'runs.start': ({ config, name }) => startRun(ctx, config, name),
    'runs.stop': ({ id }) => stopRun(ctx, id),
    'runs.resume': ({ id }) => resumeRun(ctx, id),
    'runs.list': () => listRuns(ctx),
    'runs.get': ({ id }) => runDetail(db(), id),
    'runs.evaluate': ({ id, split, datasets }) => evaluateRun(db(), id, split, datasets),
    'runs.predict': ({ id, datasetIds }) => predictRun(ctx, id, datasetIds),
    'demo.create': ({ path, size, seed }) => createDemoWorkspace(ctx, { path, size, seed }),
    'labels.undo': async ({ editId, who }) => {
      const result = await undoEdit(db(), annotator(ctx, who), editId)
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [] })
      return result
    },
    'images.browse': (args) => browseImages(db(), args),
    'images.position': ({ id, sort, order, ...query }) => imagePosition(db(), query, sort, order, id),
    'images.predictions': ({ imageId, runId }) => imagePredictions(db(), imageId, runId),
    'images.bulkReview': ({ selection, status }) => bulkReview(db(), selection, status),
    'labels.bulkEdit': async ({ selection, code, value, reason, who }) => {
      const result = await bulkEdit(db(), selection, code, value, annotator(ctx, who), reason)
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [] })
      return result
    },
    'labels.redo': async ({ editId, who }) => {
      const result = await redoEdit(db(), annotator(ctx, who), editId)
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [] })
      return result
    },
    'labels.revert': async ({ editId, imageId, who }) => {
      const result = await revertEdit(db(), annotator(ctx, who), editId, imageId)
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [imageId] })
      return result
    },
    'shortcuts.get': () => readShortcuts(shortcutsFile(ctx.settings.file)),
    'shortcuts.set': ({ bindings }) => writeShortcuts(shortcutsFile(ctx.settings.file), bindings),
    'exports.create': (request) => createExport(ctx, request),
    'exports.list': () => listExports(ctx.requireWorkspace()),
    'insights.cellImages': (args) => cellImages(db(), args),
    'insights.truthByEmotion': (scope) => truthByEmotion(db(), scope),
    'runs.messages': ({ id }) => runMessages(db(), ctx.requireWorkspace().runsDir, id),
    'runs.bestMetrics': () => runBests(db()),
  }
}
