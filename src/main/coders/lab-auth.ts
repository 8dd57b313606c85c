import type { WorkbenchContext } from '../app/context'
import type { LabAuth } from '../server/callers'
import { coderOfToken } from './coders'

// A lab server's view of the coders table: a personal token stands for its coder until revoked,
// looked up by its hash on every request (a revocation takes effect at once).

export function labAuth(ctx: WorkbenchContext, admin: string): LabAuth {
  return {
    admin,
    identify(token) {
      const workspace = ctx.workspace
      if (!workspace) return null
      const owner = coderOfToken(workspace.db, token)
      if (!owner) return null
      if ('revoked' in owner) return 'revoked'
      const { coder } = owner
      return { lab: true, name: coder.name, role: coder.role, coderId: coder.id }
    },
  }
}
