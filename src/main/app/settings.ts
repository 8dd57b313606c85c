import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { writeSmallFile } from '../files/small-file'
import { personNameSchema } from '../../shared/contract/text'

// What the workbench remembers between starts: recent workspaces and the annotator's name.
export interface SettingsData {
  recentWorkspaces: string[]
  annotator: string | null
}

/** Where settings live: AFFECT_CONFIG_DIR, else the Electron userData folder passed in, else XDG. */
export function defaultConfigDir(): string {
  if (process.env.AFFECT_CONFIG_DIR) return process.env.AFFECT_CONFIG_DIR
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config')
  return join(base, 'affect-workbench')
}

export class Settings {
  private data: SettingsData

  constructor(readonly file: string) {
    this.data = Settings.read(file)
  }

  static inDir(dir = defaultConfigDir()): Settings {
    return new Settings(join(dir, 'settings.json'))
  }

  private static read(file: string): SettingsData {
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<SettingsData>
      return {
        recentWorkspaces: Array.isArray(raw.recentWorkspaces)
          ? raw.recentWorkspaces.filter((p) => typeof p === 'string')
          : [],
        // A name app.setAnnotator would refuse (stored by an older version) is asked for again.
        annotator: personNameSchema.safeParse(raw.annotator).success ? (raw.annotator as string) : null,
      }
    } catch {
      // Missing or unreadable settings are not worth failing a start for: begin fresh.
      return { recentWorkspaces: [], annotator: null }
    }
  }

  get recentWorkspaces(): string[] {
    return [...this.data.recentWorkspaces]
  }

  get annotator(): string | null {
    return this.data.annotator
  }

  rememberWorkspace(path: string): void {
    this.data.recentWorkspaces = [path, ...this.data.recentWorkspaces.filter((p) => p !== path)].slice(0, 10)
    this.save()
  }

  setAnnotator(name: string): void {
    this.data.annotator = name
    this.save()
  }

  private save(): void {
    writeSmallFile(this.file, Buffer.from(JSON.stringify(this.data, null, 2)))
  }
}
