import type { Command } from 'commander'
import { benchCommand } from './training-command'
import { runCatalogueBench, type LatencyStats } from './catalogue'
import { runGridBench } from './grid'
import { benchDemoGeneration } from './demo'
import { facesBenchLines, runFacesBench } from './faces'
import { cropsImportLines, runCropsImportBench } from './crops-import'
import { facesMemoryLines, runFacesMemoryBench } from './faces-memory'
import { runImportBench } from './import'
import { agreementBenchLines, runAgreementBench } from './agreement'
import { durabilityLines, runDurabilityBench } from './durability'
import { runVideoBench, videoBenchLines } from './video'
import { methods } from '../src/shared/contract'
import { FACE_BACKENDS } from '../src/shared/faces'
import { CliExit } from '../src/main/cli/call'
import { textOption } from '../src/main/cli/options'

const WHAT = ['training', 'catalogue', 'grid', 'import', 'demo', 'faces', 'agreement', 'video', 'durability', 'all']
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
  crops: string
  photos?: string
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
  const print = (lines: string[]) => void (opts.json || lines.forEach((line) => console.log(line)))
  const r = await runFacesBench({
    rounds: Number(opts.rounds),
    backend: opts.backend,
    onLine: opts.json ? undefined : (line) => console.log(line),
  })
  print(facesBenchLines(r))
  const cropsOnly = await runCropsImportBench(Number(opts.crops))
  print(cropsImportLines(cropsOnly))
  // The long memory run goes on the backend the speed run chose.
  const backend = FACE_BACKENDS.find((b) => b === r.backend) ?? 'auto'
  const memory = opts.photos ? await runFacesMemoryBench(Number(opts.photos), backend) : undefined
  if (memory) print(facesMemoryLines(memory))
  return { ...r, cropsOnly, ...(memory ? { memory } : {}) }
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
  const r = await runAgreementBench({ images: opts.images ? Number(opts.images) : undefined })
  if (!opts.json) for (const line of agreementBenchLines(r)) console.log(line)
  return r
}

async function durability(opts: BenchOptions): Promise<unknown> {
  const r = await runDurabilityBench({ trials: Number(opts.rounds) })
  if (!opts.json) for (const line of durabilityLines(r)) console.log(line)
  return r
}

async function video(opts: BenchOptions): Promise<unknown> {
  const r = await runVideoBench()
  if (!opts.json) for (const line of videoBenchLines(r)) console.log(line)
  return r
}

/** Every report but training, by name; each prints its lines unless --json. */
const REPORTS = { demo, import: importing, catalogue, grid, faces, agreement, video, durability }

function training(opts: BenchOptions): Promise<void> {
  return benchCommand({
    json: !!opts.json,
    arch: opts.arch,
    batch: Number(opts.batch),
    threads: Number(opts.threads),
    rounds: Number(opts.rounds),
    backend: opts.backend,
    peer: opts.peer,
    predictImages: opts.images ? Number(opts.images) : undefined,
  })
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(
      'benchmarks: training speed next to PyTorch (default), catalogue latency at 1,000,000 images, grid first paint at 100,000 in Chromium, import speed, demo generation, face finding in 1920 px photos, coder agreement from the catalogue at 100,000 images x 40 classes, video import and scrubbing, acknowledged edits kept through kill -9 (durability); or all (but durability)',
    )
    .argument('[what]', WHAT.join(' | '), 'training')
    .option(
      '--json',
      'JSON; for training the last line has imagesPerSecond, peerImagesPerSecond, ratio, inferenceRatio, backend, convShare, threads, workers',
    )
    .option('--arch <net>', 'training: network', 'resnet-20')
    .option('--batch <n>', 'training: batch size', '32')
    .option('--threads <n>', 'training: threads (data-parallel workers) and PyTorch threads', '1')
    .option(
      '--rounds <n>',
      'training: rounds alternating with the PyTorch peer; faces: passes over the six photos; durability: kill -9 trials',
      '3',
    )
    .option(
      '--backend <b>',
      'training: auto | gpu | webgpu | native | wasm | cpu; faces: auto | native | wasm | cpu',
      'auto',
    )
    .option('--no-peer', 'training: skip the PyTorch peer')
    .option(
      '--images <n>',
      'catalogue / import / agreement: how many images; training: images predicted per round (2560)',
    )
    .option('--crops <n>', 'faces: crops-only import (no detection) of N FER2013 rows and N RAF-DB crops', '5000')
    .option(
      '--photos <n>',
      'faces: also run the face finder over N photos and say whether memory stays flat (e.g. 1000)',
    )
    .option(
      '--size <s>',
      'demo: small | medium | large',
      textOption('--size', methods['demo.create'].input.shape.size),
      'medium',
    )
    .action(async (what: string, opts: BenchOptions) => {
      if (!WHAT.includes(what)) throw new CliExit(2, `affect bench ${what}: choose ${WHAT.join(', ')}.`)
      if (what === 'training') return training(opts)
      const one = REPORTS[what as keyof typeof REPORTS]
      if (one) {
        const result = await one(opts)
        if (opts.json) console.log(JSON.stringify(result))
        return
      }
      // all: each report (grid and agreement at their default sizes, faces on the best backend), then training.
      const results: Record<string, unknown> = {}
      for (const [name, report] of Object.entries(REPORTS)) {
        if (name === 'durability') continue // minutes of kill -9 trials: run it on its own
        const images = name === 'grid' || name === 'agreement' ? undefined : opts.images
        results[name] = await report({ ...opts, images, backend: name === 'faces' ? 'auto' : opts.backend })
      }
      if (opts.json) console.log(JSON.stringify(results))
      await training(opts)
    })
}
