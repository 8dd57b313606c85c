import { isMethodName, methods, type MethodInput, type MethodName, type MethodResult } from '../../shared/contract'
import { WorkbenchError, type CallResult, type ErrorData } from '../../shared/errors'
import { LOCAL_CALLER, type Caller } from './caller'

export type Handlers = {
  [M in MethodName]: (args: MethodInput<M>, caller: Caller) => Promise<MethodResult<M>> | MethodResult<M>
}

export interface Router {
  /**
   * Checks that the caller may call the method, validates the arguments against its schema, runs
   * its handler, and returns data or an error as data. The caller defaults to the local user.
   */
  call(method: string, args: unknown, caller?: Caller): Promise<CallResult<unknown>>
}

export interface RouterOptions {
  /** Told about errors that are not WorkbenchErrors (bugs, the system), with their stack, for the log. */
  onUnexpected?: (method: string, e: unknown) => void
  /** How long to wait for a call of `method` (ms) before answering with a timeout error; null: no limit. */
  timeLimit?: ((method: MethodName) => number) | null
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  const field = issue.path.map(String).join('.')
  return field ? `${field}: ${issue.message}` : issue.message
}

/** Turns anything thrown into ErrorData; unexpected errors keep their message, never their stack. */
export function toErrorData(e: unknown): ErrorData {
  if (e instanceof WorkbenchError) return e.toData()
  const message = e instanceof Error ? e.message : String(e)
  return { code: 'internal', message: `Unexpected error: ${message}` }
}

const seconds = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`)

/**
 * Waits for a call at most `limit` ms. The work itself goes on (a promise cannot be cancelled):
 * the answer says so, and what it throws later still reaches the log.
 */
function withinLimit<T>(method: string, work: Promise<T>, limit: number, onLate: (e: unknown) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      work.catch(onLate)
      reject(
        new WorkbenchError(
          'timeout',
          `${method} did not finish within ${seconds(limit)}, so the workbench stopped waiting for it. What it started may still finish: look again in a moment.`,
          { method, limitMs: limit },
        ),
      )
    }, limit)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

/** Why a lab caller may not make this call (a coder calling an admin method, or naming who edits); null when they may. */
function refusal(method: MethodName, args: unknown, caller: Caller): ErrorData | null {
  if (!caller.lab) return null
  if (caller.role !== 'admin' && methods[method].access !== 'coder')
    return {
      code: 'forbidden',
      message: `${method} is for the lab's admin: ${caller.name ?? 'this coder'}'s link cannot call it.`,
      details: { method },
    }
  const named = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {}
  const field = ['who', 'coder'].find((key) => named[key] !== undefined)
  if (field)
    return {
      code: 'forbidden',
      message: `On a lab server an edit carries the coder the server authenticated by their link: leave out "${field}".`,
      details: { method, field },
    }
  return null
}

/** The one router: both transports (Electron IPC, headless HTTP) and the CLI call through it. */
export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  const onUnexpected = options.onUnexpected ?? (() => {})
  return {
    async call(method, args, caller = LOCAL_CALLER) {
      if (!isMethodName(method))
        return {
          ok: false,
          error: { code: 'unknown_method', message: `There is no method "${method}".`, details: { method } },
        }
      const refused = refusal(method, args, caller)
      if (refused) return { ok: false, error: refused }
      const parsed = methods[method].input.safeParse(args ?? {})
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }))
        return {
          ok: false,
          error: {
            code: 'invalid_arguments',
            message: `Invalid arguments for ${method}: ${parsed.error.issues.map(describeIssue).join('; ')}`,
            details: { method, issues },
          },
        }
      }
      try {
        const handler = handlers[method] as (a: unknown, c: Caller) => unknown
        const work = Promise.resolve().then(() => handler(parsed.data, caller))
        const limit = options.timeLimit?.(method)
        return {
          ok: true,
          value: await (limit ? withinLimit(method, work, limit, (e) => onUnexpected(method, e)) : work),
        }
      } catch (e) {
        if (!(e instanceof WorkbenchError)) onUnexpected(method, e)
        return { ok: false, error: toErrorData(e) }
      }
    },
  }
}
