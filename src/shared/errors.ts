// Errors cross the contract as data: a stable code a program can branch on, a message a person can
// act on, and details (file, row, field...) — never a stack trace.

export type ErrorCode =
  | 'invalid_arguments'
  | 'unknown_method'
  | 'no_workspace'
  | 'workspace_exists'
  | 'workspace_not_found'
  | 'database_too_new'
  | 'not_found'
  | 'conflict'
  | 'import_failed'
  | 'export_failed'
  | 'training_failed'
  | 'backend_unavailable'
  | 'face_finder_failed'
  | 'unauthorized'
  /** A call ran longer than its time limit; the server stopped waiting for it. */
  | 'timeout'
  /** A request body over the server's size limit. */
  | 'too_large'
  /** A request the headless server refuses to act on (wrong Content-Type, another page's Origin). */
  | 'forbidden'
  | 'internal'

export interface ErrorData {
  code: ErrorCode
  message: string
  details?: Record<string, unknown>
}

/** An error a user can meet; thrown by services, carried to the UI as ErrorData. */
export class WorkbenchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'WorkbenchError'
  }

  toData(): ErrorData {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message }
  }
}

/** What a transport returns for one call. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ErrorData }
