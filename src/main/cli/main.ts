import { runCli } from './index'

// Entry of bin/affect.mjs. Long-running commands (serve) keep the process alive themselves.
runCli(process.argv.slice(2)).then((code) => {
  if (code !== 0) process.exitCode = code
})
