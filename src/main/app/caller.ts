import type { CoderRole } from '../../shared/contract'

// Who a call comes from (the call context). The desktop app, the CLI and a plain `affect serve` have
// one user (LOCAL_CALLER), who may call every method and names themself with `who`. On a lab server
// (`affect serve --lab`) the server authenticates each link: the admin's, or a coder's personal one;
// the router then lets coders call only the methods the contract marks for them, and edits carry the
// name the server authenticated, never one the page sends.

export interface Caller {
  /** Authenticated by a lab server's link. */
  lab: boolean
  /** The coder's name (lab mode); null for the local user, who gives `who` or a remembered name. */
  name: string | null
  role: CoderRole
  /** The coder's id in the coders table; null for the local user and the lab admin. */
  coderId: number | null
}

export const LOCAL_CALLER: Caller = { lab: false, name: null, role: 'admin', coderId: null }

/** The person who started `affect serve --lab`, through the admin link. */
export const labAdmin = (name: string): Caller => ({ lab: true, name, role: 'admin', coderId: null })
