import pkg from '../../../package.json' with { type: 'json' }

/** The workbench's version, from package.json. */
export const WORKBENCH_VERSION: string = pkg.version
