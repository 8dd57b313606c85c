import { isMethodName, methods, type MethodInput, type MethodName, type MethodResult } from '../shared/contract'
import { WorkbenchError, type CallResult, type ErrorData } from '../shared/errors'

export type Handlers = { [M in MethodName]: (args: MethodInput<M>) => Promise<MethodResult<M>> | MethodResult<M> }

export interface Router {
  /** Validates the arguments against the method's schema, runs its handler, and returns data or an error as data. */
  call(method: string, args: unknown): Promise<CallResult<unknown>>
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

/** The one router: both transports (Electron IPC, headless HTTP) and the CLI call through it. */
export function createRouter(handlers: Handlers, onUnexpected: (method: string, e: unknown) => void = () => {}): Router {
  return {
    async call(method, args) {
      if (!isMethodName(method)) return { ok: false, error: { code: 'unknown_method', message: `There is no method "${method}".`, details: { method } } }
      const parsed = methods[method].input.safeParse(args ?? {})
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }))
        return {
          ok: false,
          error: { code: 'invalid_arguments', message: `Invalid arguments for ${method}: ${parsed.error.issues.map(describeIssue).join('; ')}`, details: { method, issues } },
        }
      }
      try {
        const handler = handlers[method] as (a: unknown) => unknown
        return { ok: true, value: await handler(parsed.data) }
      } catch (e) {
        if (!(e instanceof WorkbenchError)) onUnexpected(method, e)
        return { ok: false, error: toErrorData(e) }
      }
    },
  }
}
