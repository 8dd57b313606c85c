import type { Command } from 'commander'
import type { AgreementReport } from '../../../shared/contract'
import type { Coefficient } from '../../../shared/statistics/estimate'
import { call, printJson } from '../call'
import { commaList } from '../options'
import { withWorkspace } from '../with-workspace'

// `affect agreement --workspace DIR [--dataset D] [--coders a,b] --json`: per class cohenKappa (two
// coders), fleissKappa, krippendorffAlpha, agreementIndex, n and ci95 (of Cohen's kappa), as issue 14 asks.

interface AgreementOptions {
  workspace: string
  dataset?: string
  coders?: string[]
  json?: boolean
}

/** The JSON of issue 14: one object per class with the four coefficients, n and the 95% interval. */
export function agreementJson(report: AgreementReport) {
  const classes = Object.fromEntries(
    Object.entries(report.perClass).map(([code, a]) => [
      code,
      {
        cohenKappa: a.cohenKappa.value,
        fleissKappa: a.fleissKappa.value,
        krippendorffAlpha: a.krippendorffAlpha.value,
        agreementIndex: a.agreementIndex.value,
        n: a.n,
        ci95: a.cohenKappa.ci95 ?? a.fleissKappa.ci95,
        ...(a.icc31 ? { icc31: a.icc31.value } : {}),
      },
    ]),
  )
  return {
    dataset: report.dataset,
    coders: report.coders,
    images: report.images,
    passMark: report.passMark,
    classes,
    report,
  }
}

const cell = (c: Coefficient): string => (c.value === null ? '     -' : c.value.toFixed(3).padStart(6))

export function registerAgreement(program: Command): void {
  program
    .command('agreement')
    .description(
      "agreement between coders per class: Cohen's and Fleiss' kappa, Krippendorff's alpha, the FACS agreement index, n, 95% intervals",
    )
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--dataset <name>', 'only this dataset')
    .option('--coders <a,b>', 'these coders (default: every coder with codes)', commaList)
    .option('--json', 'print JSON')
    .action((opts: AgreementOptions) =>
      withWorkspace(opts, async (wb) => {
        const report = await call(wb, 'agreement.get', { dataset: opts.dataset, coders: opts.coders })
        if (opts.json) return printJson(agreementJson(report))
        console.log(
          `${report.images} images coded by two or more of ${report.coders.join(', ')} (pass mark ${report.passMark})`,
        )
        console.log('class        cohen  fleiss  alpha  index      n')
        for (const [code, a] of Object.entries(report.perClass))
          console.log(
            `${code.padEnd(10)} ${cell(a.cohenKappa)} ${cell(a.fleissKappa)} ${cell(a.krippendorffAlpha)} ${cell(a.agreementIndex)} ${String(a.n).padStart(6)}`,
          )
      }),
    )
}
