#!/usr/bin/env node
// The `affect` CLI runs the TypeScript sources directly (tsx), so it works right after `npm install`.
import { register } from 'tsx/esm/api'

register()
await import('../src/main/cli/main.ts')
