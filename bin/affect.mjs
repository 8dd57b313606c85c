#!/usr/bin/env node
// The `affect` CLI runs the TypeScript sources directly (tsx), so it works right after `npm install`.
// The benchmarks live outside the product (bench/): this shim adds their command to the program.
import { register } from 'tsx/esm/api'

register()
const { runCli } = await import('../src/main/cli/index.ts')
const { registerBench } = await import('../bench/command.ts')
// Long-running commands (serve) keep the process alive themselves.
const code = await runCli(process.argv.slice(2), registerBench)
if (code !== 0) process.exitCode = code
