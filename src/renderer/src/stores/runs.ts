import type { RunSummary } from '@shared/contract'
import { defineStore } from 'pinia'
import { useGuardedCalls } from './runs/guarded-calls'
import { useLiveRuns } from './runs/live-runs'
import { useOpenedRuns } from './runs/opened-runs'
import { useRunControl } from './runs/run-control'
import { useRunList } from './runs/run-list'
import { onWorkspaceSwitch } from './workspace-switch'

/**
 * The workspace's training runs, kept live: the list (runs/run-list), the runs opened in detail
 * (runs/opened-runs), Start/Stop/Resume (runs/run-control), and the run events followed once
 * (runs/live-runs), so a run keeps updating while its view is closed.
 */
export const useRunsStore = defineStore('runs', () => {
  const { error, guarded } = useGuardedCalls()
  const list = useRunList(guarded)
  const opened = useOpenedRuns(guarded)
  /** A run's new summary, in the list and on its opened detail. */
  function remember(run: RunSummary): void {
    list.remember(run)
    opened.remember(run)
  }
  const control = useRunControl(guarded, remember)
  const following = useLiveRuns({ runs: list.runs, details: opened.details, messages: opened.messages, remember })

  // Another workspace: its runs are other runs.
  onWorkspaceSwitch(
    () => {
      list.forget()
      opened.forget()
      following.forget()
    },
    { alsoWhenFirstOpened: true },
  )

  const { runs, bests, loadList } = list
  const { details, messages, loadRun } = opened
  const { pending, start, stop, resume } = control
  return {
    runs,
    bests,
    details,
    live: following.live,
    messages,
    error,
    pending,
    loadList,
    loadRun,
    start,
    stop,
    resume,
  }
})
