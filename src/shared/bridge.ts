import type { EventName, EventPayload, MethodArgs, MethodName, MethodResult } from './contract'
import type { CallResult } from './errors'

/** The one object the Electron preload exposes as `window.api`: a typed call and an event subscription. */
export interface WorkbenchBridge {
  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<CallResult<MethodResult<M>>>
  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void
}

/** The single channel pair between renderer and main. */
export const IPC_INVOKE = 'affect:invoke'
export const IPC_EVENT = 'affect:event'
/** Images reach the renderer by id through this scheme: affect-media://thumb/123, affect-media://full/123. */
export const MEDIA_SCHEME = 'affect-media'
