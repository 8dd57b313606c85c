import * as tf from '@tensorflow/tfjs'
import type { BackendName, BackendStatus } from '../../../shared/contract/app'
import { BackendUnavailableError, selectBackend } from './index'

/*
 * The trainer process's answer to a `probe` command: load one backend exactly as a run asking for
 * it by name would, then compute one small sum on it, so that "available" means it can compute here.
 */

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** Whether `backend` loads and computes in this process, and in words why not. */
export async function probeBackend(backend: BackendName): Promise<BackendStatus> {
  let status: BackendStatus
  try {
    const selected = await selectBackend(backend)
    status = selected.reasons[selected.reasons.length - 1]
  } catch (e) {
    if (e instanceof BackendUnavailableError) return e.reasons[e.reasons.length - 1]
    return { backend, available: false, reason: `loading failed: ${errorText(e)}` }
  }
  try {
    const sum = tf.add(tf.tensor1d([1, 2]), 1)
    const values = await sum.data()
    sum.dispose()
    if (values[0] !== 2 || values[1] !== 3)
      return {
        ...status,
        available: false,
        reason: `it loads, but computed 1+1, 2+1 as ${values[0]}, ${values[1]}: ${status.reason}`,
      }
  } catch (e) {
    return {
      ...status,
      available: false,
      reason: `it loads, but a first computation failed (${errorText(e)}): ${status.reason}`,
    }
  }
  return status
}
