/** The catalogue stores times as epoch milliseconds; the contract speaks ISO 8601. */
export const isoTime = (ms: number): string => new Date(ms).toISOString()
