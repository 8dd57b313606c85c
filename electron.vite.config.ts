import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'

// main: the Electron glue and everything it pulls in (services, router); dependencies stay external
// (better-sqlite3, sharp and tfjs are native or large and load from node_modules at run time).
// preload: CommonJS, because a sandboxed preload cannot be an ES module.
export default defineConfig({
  main: {
    build: {
      // The trainer is its own entry: the app forks it as a utility process.
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          trainer: resolve('src/main/trainer/process/entry.ts'),
          // The face finder is another forked process (find-faces.ts looks for face-finder.js).
          'face-finder': resolve('src/main/faces/process/entry.ts'),
          // Data-parallel training workers (they import their loss by module path).
          'data-parallel-worker': resolve('src/main/trainer/backend/parallel/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    resolve: { alias: { '@renderer': resolve('src/renderer/src'), '@shared': resolve('src/shared') } },
    plugins: [vue()],
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
  },
})
