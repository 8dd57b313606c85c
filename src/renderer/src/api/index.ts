import type { EventName, EventPayload, MethodArgs, MethodName, MethodResult } from '@shared/contract'
import type { ErrorData } from '@shared/errors'
import { getTransport } from './transport'

// The only module the rest of the renderer uses to reach main. Stores call it; views call stores.

/** A call main refused: the message is for the user, the code for the program. */
export class ApiError extends Error {
  readonly code: ErrorData['code']
  readonly details?: Record<string, unknown>
  constructor(error: ErrorData) {
    super(error.message)
    this.code = error.code
    this.details = error.details
  }
}

export async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await getTransport().invoke(method, args)
  if (!result.ok) throw new ApiError(result.error)
  return result.value as MethodResult<M>
}

export function on<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void {
  return getTransport().on(event, callback as (payload: unknown) => void)
}

/**
 * URL of an image or its thumbnail by catalogue id (never a file path). `version` names a new
 * state of the image (a face box moved: crop and thumbnail cut again), so that the browser does
 * not show the copy it cached before.
 */
export function mediaUrl(id: number, kind: 'thumb' | 'full' | 'crop' | 'proxy' = 'thumb', version?: number): string {
  const url = getTransport().mediaUrl(id, kind)
  return version === undefined ? url : `${url}?v=${version}`
}

/** A video frame's proxy for scrubbing, or false when main gave a stand-in (the proxy is still being written). */
export async function proxyFrame(id: number): Promise<Blob | false> {
  const res = await fetch(mediaUrl(id, 'proxy'))
  if (!res.ok) throw new Error(`proxy frame ${id}: ${res.status}`)
  return res.headers.get('content-type') === 'image/jpeg' ? await res.blob() : false
}

export const transportKind = (): 'electron' | 'headless' => getTransport().kind
