import { WorkbenchError } from '../../../shared/errors'
import { editLabels } from '../../labels/edits'
import { redoEdit, revertEdit, undoEdit } from '../../labels/undo-redo'
import { bulkEdit } from '../../labels/bulk-edit'
import { readShortcuts, shortcutsFile, writeShortcuts } from '../../labels/shortcut-settings'
import { recordEditAsCodings } from '../../coders/local-codings'
import { LOCAL_CALLER, type Caller } from '../caller'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

/** The most image ids a labels.changed event lists. */
const CHANGED_IDS_LIMIT = 10_000

/** Who an edit is recorded as: on a lab server the caller it authenticated; else the name given with the call, else the remembered annotator. */
export function annotator(ctx: WorkbenchContext, who: string | undefined, caller: Caller = LOCAL_CALLER): string {
  const name = caller.lab ? caller.name : (who ?? ctx.settings.annotator)
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
    'labels.edit': async ({ changes, reason, who }, caller) => {
      const name = annotator(ctx, who, caller)
      const result = await editLabels(db(), changes, name, reason)
      if (!caller.lab) recordEditAsCodings(db(), result.editId, name)
      const imageIds = [...new Set(changes.map((c) => c.imageId))]
      // Past a few thousand images, listeners are told "many" (like a bulk edit) rather than sent every id.
      ctx.events.publish('labels.changed', {
        editId: result.editId,
        imageIds: imageIds.length <= CHANGED_IDS_LIMIT ? imageIds : [],
      })
      return result
    },
    'labels.bulkEdit': async ({ selection, code, value, intensity, reason, who }, caller) => {
      const name = annotator(ctx, who, caller)
      const result = await bulkEdit(db(), selection, { code, value, intensity }, name, reason)
      if (!caller.lab) recordEditAsCodings(db(), result.editId, name)
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [] })
      return result
    },
    'labels.undo': async ({ editId, who }, caller) => {
      const name = annotator(ctx, who, caller)
      const result = await undoEdit(db(), name, editId)
      if (!caller.lab) recordEditAsCodings(db(), result.editId, name)
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [] })
      return result
    },
    'labels.redo': async ({ editId, who }, caller) => {
      const name = annotator(ctx, who, caller)
      const result = await redoEdit(db(), name, editId)
      if (!caller.lab) recordEditAsCodings(db(), result.editId, name)
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [] })
      return result
    },
    'labels.revert': async ({ editId, imageId, who }, caller) => {
      const name = annotator(ctx, who, caller)
      const result = await revertEdit(db(), name, editId, imageId)
      if (!caller.lab) recordEditAsCodings(db(), result.editId, name)
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [imageId] })
      return result
    },
    'shortcuts.get': () => readShortcuts(shortcutsFile(ctx.settings.file)),
    'shortcuts.set': ({ bindings }) => writeShortcuts(shortcutsFile(ctx.settings.file), bindings),
  } satisfies Partial<Handlers>
}
