import { ref } from 'vue'

/** One error line for a group of calls: a refused call sets it in words, the next success clears it. */
export function useGuardedCalls() {
  const error = ref<string | null>(null)

  /** Runs a call; on refusal, says why and resolves to null. */
  async function guarded<T>(action: () => Promise<T>): Promise<T | null> {
    try {
      const value = await action()
      error.value = null
      return value
    } catch (e) {
      error.value = (e as Error).message
      return null
    }
  }

  return { error, guarded }
}

export type Guarded = ReturnType<typeof useGuardedCalls>['guarded']
