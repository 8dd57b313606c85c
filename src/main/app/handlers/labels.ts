import { WorkbenchError } from '../../../shared/errors'
import { editLabels } from '../../labels/edits'
import { redoEdit, revertEdit, undoEdit } from '../../labels/undo-redo'
import { bulkEdit } from '../../labels/bulk-edit'
import { readShortcuts, shortcutsFile, writeShortcuts } from '../../labels/shortcut-settings'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** The most image ids a labels.changed event lists. */
const CHANGED_IDS_LIMIT = 10_000

/** Who an edit is recorded as: the name given with the call, else the remembered annotator. */
export function annotator(ctx: WorkbenchContext, who: string | undefined): string {
  const name = who ?? ctx.settings.annotator
  if (!name)
    throw new WorkbenchError(
      'invalid_arguments',
      'Give your name once (Settings, or --who) so that label edits record who made them.',
      { field: 'who' },
    )
  return name
}

/** labels.* edits (edit, bulk edit, undo, redo, revert) and shortcuts.*: editing labels; every edit is announced. */
export const labelsHandlers = (ctx: WorkbenchContext) => {
  const db = () => ctx.requireWorkspace().db
  return {
    'labels.edit': async ({ changes, reason, who }) => {
      const result = await editLabels(db(), changes, annotator(ctx, who), reason)
      const imageIds = [...new Set(changes.map((c) => c.imageId))]
      // Past a few thousand images, listeners are told "many" (like a bulk edit) rather than sent every id.
      ctx.events.publish('labels.changed', {
        editId: result.editId,
        imageIds: imageIds.length <= CHANGED_IDS_LIMIT ? imageIds : [],
      })
      return result
    },
    'labels.bulkEdit': async ({ selection, code, value, reason, who }) => {
      const result = await bulkEdit(db(), selection, code, value, annotator(ctx, who), reason)
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [] })
      return result
    },
    'labels.undo': async ({ editId, who }) => {
      const result = await undoEdit(db(), annotator(ctx, who), editId)
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
  } satisfies Partial<Handlers>
}
