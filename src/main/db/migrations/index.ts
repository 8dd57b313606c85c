import catalogue from './0001-catalogue'

/** Migrations in order; migration i brings the schema to user_version i + 1. Never edit a shipped one. */
export const MIGRATIONS: readonly { name: string; sql: string }[] = [{ name: '0001-catalogue', sql: catalogue }]
