// Starts a data-parallel worker from the TypeScript sources (tests, the tsx-run CLI): worker threads
// do not inherit tsx's loader from the main thread, and `--import tsx` in a Worker's execArgv is not
// honoured by Node 20, so the loader is registered here before the worker module is imported.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
