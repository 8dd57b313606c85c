import type { Command } from 'commander'
import { benchCommand } from './training-command'
import { runCatalogueBench, type LatencyStats } from './catalogue'
import { runGridBench } from './grid'
import { benchDemoGeneration } from './demo'
import { facesBenchLines, runFacesBench } from './faces'
import { runImportBench } from './import'
import { agreementBenchLines, runAgreementBench } from './agreement'
import { methods } from '../src/shared/contract'
import { CliExit } from '../src/main/cli/call'
import { textOption } from '../src/main/cli/options'

const WHAT = ['training', 'catalogue', 'grid', 'import', 'demo', 'faces', 'agreement', 'all']
const ms = (s: LatencyStats) => `p50 ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms`

interface BenchOptions {
  json?: boolean
  batch: string
  threads: string
  rounds: string
  arch: string
  backend: string
  peer: boolean
  images?: string
  size: 'small' | 'medium' | 'large'
}

async function catalogue(opts: BenchOptions): Promise<unknown> {
  const r = await runCatalogueBench({ images: opts.images ? Number(opts.images) : undefined })
  if (!opts.json) {
    console.log(
      `Catalogue of ${r.images.toLocaleString('en')} images, ${r.labels.toLocaleString('en')} labels (built in ${r.buildSeconds.toFixed(0)} s); a filtered page of 100 with its count (target p95 < 50 ms):`,
    )
    for (const q of r.queries) console.log(`  ${q.name.padEnd(30)} ${ms(q)}`)
    console.log(
      `  ${'first deep page after a change'.padEnd(30)} ${r.firstDeepPage.toFixed(2)} ms (walks to the page's anchor once)`,
    )
    console.log(`  ${r.labelEdit.name.padEnd(30)} ${ms(r.labelEdit)} (target < 10 ms)`)
    const big = r.bigEdit
    console.log(
      `A labels.edit of ${big.changes.toLocaleString('en')} changes: ${big.seconds.toFixed(1)} s (arguments checked in ${big.validateMs.toFixed(0)} ms); event loop held at most ${big.longestStallMs.toFixed(0)} ms (target ~100 ms); ${big.smallEdits} small edits meanwhile, p95 ${big.smallEditP95Ms.toFixed(0)} ms`,
    )
  }
  return r
}

async function importing(opts: BenchOptions): Promise<unknown> {
  const r = await runImportBench({ images: opts.images ? Number(opts.images) : undefined })
  if (!opts.json)
    console.log(
      `Import of ${r.images} small PNGs with hashing, decoding and thumbnails: ${r.imagesPerSecond.toFixed(0)} images/s (${r.seconds.toFixed(1)} s; target >= 500)\n` +
        `Crops-only import (no detection) of ${r.boxCrops.images} 320x240 frames with a face box, cut to aligned crops: ${r.boxCrops.imagesPerSecond.toFixed(0)} images/s (${r.boxCrops.seconds.toFixed(1)} s), ${r.boxCrops.imagesPerCpuSecond.toFixed(0)} images per CPU second`,
    )
  return r
}

async function demo(opts: BenchOptions): Promise<unknown> {
  const r = await benchDemoGeneration({ size: opts.size })
  if (!opts.json)
    console.log(
      `Demo generation, ${r.size}: ${r.faces} faces in ${r.seconds.toFixed(1)} s, ${r.facesPerSecond.toFixed(0)} faces/s (target: medium < 20 s)`,
    )
  return r
}

async function faces(opts: BenchOptions): Promise<unknown> {
  const r = await runFacesBench({
    rounds: Number(opts.rounds),
    backend: opts.backend,
    onLine: opts.json ? undefined : (line) => console.log(line),
  })
  if (!opts.json) for (const line of facesBenchLines(r)) console.log(line)
  return r
}

async function grid(opts: BenchOptions): Promise<unknown> {
  const r = await runGridBench({ images: opts.images ? Number(opts.images) : undefined })
  if (!opts.json)
    console.log(
      `Catalogue grid in Chromium, ${r.images.toLocaleString('en')} images: first paint median ${r.medianFirstPaintMs.toFixed(0)} ms over ${r.firstPaintMs.length} loads (target < 1,500 ms); End key to the last image ${r.scrollToEndMs.toFixed(0)} ms`,
    )
  return r
}

async function agreement(opts: BenchOptions): Promise<unknown> {
  const r = runAgreementBench({ images: opts.images ? Number(opts.images) : undefined })
  if (!opts.json) for (const line of agreementBenchLines(r)) console.log(line)
  return r
}

function training(opts: BenchOptions): Promise<void> {
  return benchCommand({
    json: !!opts.json,
    arch: opts.arch,
    batch: Number(opts.batch),
    threads: Number(opts.threads),
    rounds: Number(opts.rounds),
    backend: opts.backend,
    peer: opts.peer,
  })
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(
      'benchmarks: training speed next to PyTorch (default), catalogue latency at 1,000,000 images, grid first paint at 100,000 in Chromium, import speed, demo generation, face finding in 1920 px photos, coder agreement statistics at 100,000 images; or all',
    )
    .argument('[what]', WHAT.join(' | '), 'training')
    .option(
      '--json',
      'JSON; for training the last line has imagesPerSecond, peerImagesPerSecond, ratio, backend, convShare',
    )
    .option('--arch <net>', 'training: network', 'resnet-20')
    .option('--batch <n>', 'training: batch size', '32')
    .option('--threads <n>', 'training: threads (data-parallel workers) and PyTorch threads', '1')
    .option(
      '--rounds <n>',
      'training: rounds alternating with the PyTorch peer; faces: passes over the six photos',
      '3',
    )
    .option(
      '--backend <b>',
      'training: auto | gpu | webgpu | native | wasm | cpu; faces: auto | native | wasm | cpu',
      'auto',
    )
    .option('--no-peer', 'training: skip the PyTorch peer')
    .option('--images <n>', 'catalogue / import / agreement: how many images')
    .option(
      '--size <s>',
      'demo: small | medium | large',
      textOption('--size', methods['demo.create'].input.shape.size),
      'medium',
    )
    .action(async (what: string, opts: BenchOptions) => {
      if (!WHAT.includes(what)) throw new CliExit(2, `affect bench ${what}: choose ${WHAT.join(', ')}.`)
      if (what === 'training') return training(opts)
      if (what === 'catalogue')
        return void (opts.json ? console.log(JSON.stringify(await catalogue(opts))) : await catalogue(opts))
      if (what === 'grid') return void (opts.json ? console.log(JSON.stringify(await grid(opts))) : await grid(opts))
      if (what === 'import')
        return void (opts.json ? console.log(JSON.stringify(await importing(opts))) : await importing(opts))
      if (what === 'demo') return void (opts.json ? console.log(JSON.stringify(await demo(opts))) : await demo(opts))
      if (what === 'faces') return void (opts.json ? console.log(JSON.stringify(await faces(opts))) : await faces(opts))
      if (what === 'agreement')
        return void (opts.json ? console.log(JSON.stringify(await agreement(opts))) : await agreement(opts))
      const results = {
        demo: await demo(opts),
        import: await importing(opts),
        catalogue: await catalogue(opts),
        grid: await grid({ ...opts, images: undefined }),
        faces: await faces({ ...opts, backend: 'auto' }),
        agreement: await agreement({ ...opts, images: undefined }),
      }
      if (opts.json) console.log(JSON.stringify(results))
      await training(opts)
    })
}
