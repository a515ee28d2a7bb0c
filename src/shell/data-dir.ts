/**
 * Where Keyward keeps its data. Shared by the CLI and the start script so both
 * open the same installation: an explicit `--data-dir` wins, then
 * `KEYWARD_DATA_DIR`, then the operating system's per-user application data folder.
 */
import os from 'node:os';
import path from 'node:path';

export interface DataDirSources {
  /** The `--data-dir` value, if given. */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/** Folder name under the per-user application data folder. */
const APP_DIR = 'Keyward';

/** Resolve the data dir to an absolute path (it is not created here). */
export function resolveDataDir(src: DataDirSources = {}): string {
  const env = src.env ?? process.env;
  const chosen = src.flag || env.KEYWARD_DATA_DIR;
  if (chosen) return path.resolve(chosen);
  return defaultDataDir(src.platform ?? process.platform, env, src.home ?? os.homedir());
}

/**
 * The per-user application data folder: %APPDATA%\Keyward on Windows,
 * ~/Library/Application Support/Keyward on macOS, $XDG_DATA_HOME/keyward
 * (default ~/.local/share/keyward) elsewhere (XDG Base Directory Specification).
 */
export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP_DIR);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_DIR);
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.posix.join(home, '.local', 'share');
  return path.posix.join(xdg, APP_DIR.toLowerCase());
}
