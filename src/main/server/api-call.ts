import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorData } from '../../shared/errors'
import type { Caller } from '../app/caller'
import type { Router } from '../app/router'
import { BodyTooLarge, discardRest, readBody } from './request-body'
import { notJson } from './request-guard'
import { sendError, sendJson } from './responses'

/** The HTTP status of each error code the router answers with (anything else: 400). */
const STATUS: Partial<Record<ErrorData['code'], number>> = {
  invalid_arguments: 400,
  unknown_method: 404,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  no_workspace: 409,
  workspace_exists: 409,
  workspace_not_found: 404,
  database_too_new: 409,
  too_large: 413,
  timeout: 504,
  internal: 500,
}

/** The arguments of a call: its JSON body (up to `maxBody` bytes), or an error already answered. */
async function callArguments(
  req: IncomingMessage,
  res: ServerResponse,
  maxBody: number,
): Promise<{ args: unknown } | null> {
  try {
    const body = (await readBody(req, maxBody)).toString('utf8')
    return { args: body ? JSON.parse(body) : {} }
  } catch (e) {
    if (!(e instanceof BodyTooLarge)) {
      sendError(res, 400, {
        code: 'invalid_arguments',
        message: `The request body is not valid JSON: ${(e as Error).message}`,
      })
      return null
    }
    sendError(res, 413, { code: 'too_large', message: e.message, details: { limit: e.limit } })
    discardRest(req)
    return null
  }
}

/** Calls the router for POST /api/<method>, after the checks only a JSON body from our own page passes. */
export async function answerApiCall(
  router: Router,
  maxBody: number,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  caller: Caller,
): Promise<void> {
  if (req.method !== 'POST')
    return sendError(res, 405, { code: 'invalid_arguments', message: 'Use POST for API calls.' })
  const wrongType = notJson(req)
  if (wrongType)
    return sendError(res, 415, { code: 'invalid_arguments', message: wrongType, details: { field: 'Content-Type' } })
  const body = await callArguments(req, res, maxBody)
  if (!body) return
  const result = await router.call(decodeURIComponent(url.pathname.slice(5)), body.args, caller)
  return sendJson(res, result.ok ? 200 : (STATUS[result.error.code] ?? 400), result)
}
