// Builds better-sqlite3 for Electron's Node ABI into build/electron-native/, beside (not instead of)
// the plain-Node build that the CLI, headless mode and tests use. The app passes it to better-sqlite3
// as `nativeBinding`. Needs the network once (Electron headers or a prebuilt binary).
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'build', 'electron-native', 'better_sqlite3.node')
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
const stamp = `${out}.electron-${electronVersion}`

if (existsSync(out) && existsSync(stamp)) process.exit(0)
const work = mkdtempSync(join(tmpdir(), 'affect-sqlite-electron-'))
try {
  cpSync(join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true })
  const run = (cmd, args) =>
    execFileSync(cmd, args, {
      cwd: work,
      stdio: 'inherit',
      env: {
        ...process.env,
        npm_config_runtime: 'electron',
        npm_config_target: electronVersion,
        npm_config_disturl: 'https://electronjs.org/headers',
      },
    })
  try {
    run(process.execPath, [
      join(root, 'node_modules', 'prebuild-install', 'bin.js'),
      '--runtime',
      'electron',
      '--target',
      electronVersion,
    ])
  } catch {
    console.log('No prebuilt better-sqlite3 for Electron ' + electronVersion + '; compiling it.')
    run('npx', [
      '--yes',
      'node-gyp',
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ])
  }
  mkdirSync(dirname(out), { recursive: true })
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), out)
  cpSync(out, stamp)
  console.log(`better-sqlite3 for Electron ${electronVersion}: ${out}`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
