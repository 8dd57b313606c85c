import { WorkbenchError } from '../../../shared/errors'
import { adjudicate, disagreementQueue } from '../../coders/adjudication'
import { agreementReport } from '../../coders/agreement-report'
import { coderQueue, createAssignment, listAssignments } from '../../coders/assignments'
import { codingView, commitImage } from '../../coders/coding-view'
import { createCoder, ensureCoder, listCoders, requireCoder, revokeCoder, type CoderRow } from '../../coders/coders'
import { saveCodings } from '../../coders/save-codings'
import type { Caller } from '../caller'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'

// Coders, assignments, blind codings, agreement and adjudication (issue 14). Which coder a call
// codes as: on a lab server the one its link authenticated; locally the coder named in the call
// (who must exist), else the remembered annotator, who becomes a coder the first time.

function coderOf(ctx: WorkbenchContext, caller: Caller, named: string | undefined): CoderRow {
  const db = ctx.requireWorkspace().db
  if (caller.lab) {
    if (caller.coderId === null)
      throw new WorkbenchError(
        'forbidden',
        'The admin link does not code: add yourself as a coder and open your own link to code.',
      )
    return requireCoder(db, caller.name ?? '')
  }
  if (named) return requireCoder(db, named)
  const annotator = ctx.settings.annotator
  if (!annotator)
    throw new WorkbenchError('invalid_arguments', 'Give the coder (--coder NAME) or your name once in Settings.', {
      field: 'coder',
    })
  return ensureCoder(db, annotator)
}

/** Who an adjudication or assignment is recorded as. */
const personOf = (ctx: WorkbenchContext, caller: Caller): string =>
  caller.name ?? ctx.settings.annotator ?? 'the workbench user'

export const coderHandlers = (ctx: WorkbenchContext) => {
  const db = () => ctx.requireWorkspace().db
  return {
    'session.get': (_args, caller) => ({
      lab: caller.lab,
      name: caller.name ?? ctx.settings.annotator ?? null,
      role: caller.role,
    }),
    'coders.list': () => listCoders(db()),
    'coders.create': ({ name, role }) => createCoder(db(), name, role),
    'coders.revoke': ({ name }) => revokeCoder(db(), name),
    'assignments.create': (args, caller) => createAssignment(db(), args, personOf(ctx, caller)),
    'assignments.list': () => listAssignments(db()),
    'queue.get': ({ coder }, caller) => coderQueue(db(), coderOf(ctx, caller, coder)),
    'codings.image': ({ imageId, coder }, caller) => codingView(db(), coderOf(ctx, caller, coder), imageId),
    'codings.save': ({ imageId, changes, reason, coder }, caller) => {
      const result = saveCodings(db(), coderOf(ctx, caller, coder), imageId, changes, reason)
      if (result.consensusChanged) ctx.events.publish('labels.changed', { editId: null, imageIds: [imageId] })
      return result
    },
    'codings.commit': ({ imageId, coder }, caller) => commitImage(db(), coderOf(ctx, caller, coder), imageId),
    'agreement.get': (scope) => agreementReport(db(), scope),
    'adjudication.queue': ({ offset, limit, ...scope }) => disagreementQueue(db(), scope, offset, limit),
    'adjudication.resolve': ({ imageId, labels, reason }, caller) => {
      const result = adjudicate(db(), imageId, labels, reason, personOf(ctx, caller))
      ctx.events.publish('labels.changed', { editId: result.editId, imageIds: [imageId] })
      return result
    },
  } satisfies Partial<Handlers>
}
