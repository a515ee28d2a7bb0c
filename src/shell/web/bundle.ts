/**
 * Builds the renderer bundle (the Lit shell plus every plugin's `ui/`) with esbuild,
 * on demand, so a fresh clone needs no build step. Plugins contribute UI by having
 * `plugins/<name>/ui/index.ts`: the entry is generated from what is on disk, the shell
 * is never edited for them. The web shell serves the files from memory; Electron loads
 * them from the cache dir.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** The repository root (this file is src/shell/web/bundle.ts). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface UiBundle {
  /** Folder holding index.html, app.js and app.css (content-addressed, never rewritten). */
  dir: string;
  /** The same files in memory, by name. */
  files: Map<string, Buffer>;
}

/**
 * The page. The CSP meta tag matters for Electron (file://, no HTTP headers);
 * the web shell sends the same policy as a header as well.
 */
const PAGE_POLICY = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'none'";
/** Sent as a header by the web shell; `frame-ancestors` only works as a header. */
export const CONTENT_SECURITY_POLICY = `${PAGE_POLICY}; frame-ancestors 'none'`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keyward</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="app.css">
<script src="app.js" defer></script>
</head>
<body><kw-app></kw-app></body>
</html>
`;

/** Every `plugins/<name>/ui/index.ts` under root, in name order (stable bundles). */
export function pluginUiEntries(root: string = PROJECT_ROOT): string[] {
  const pluginsDir = path.join(root, 'plugins');
  if (!fs.existsSync(pluginsDir)) return [];
  return fs
    .readdirSync(pluginsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(pluginsDir, d.name, 'ui', 'index.ts'))
    .filter((f) => fs.existsSync(f))
    .sort();
}

export interface BundleOptions {
  /** Repository root holding src/shell/ui and plugins/ (default: this checkout). */
  root?: string;
  /** Further UI modules to include after the plugins' (test fixtures). */
  extraEntries?: string[];
}

/** The generated entry: the shell first (it defines the shared elements), then each plugin's UI. */
export function entrySource({ root = PROJECT_ROOT, extraEntries = [] }: BundleOptions = {}): string {
  const files = [path.join(root, 'src', 'shell', 'ui', 'main.ts'), ...pluginUiEntries(root), ...extraEntries.map((f) => path.resolve(f))];
  return files.map((f) => `import ${JSON.stringify(f.split(path.sep).join('/'))};`).join('\n') + '\n';
}

/** The cache folder: node_modules/.cache/keyward when writable, else the OS temp dir. */
export function cacheDir(root: string = PROJECT_ROOT): string {
  const preferred = path.join(root, 'node_modules', '.cache', 'keyward');
  try {
    fs.mkdirSync(preferred, { recursive: true });
    fs.accessSync(preferred, fs.constants.W_OK);
    return preferred;
  } catch {
    const hash = createHash('sha256').update(root).digest('hex').slice(0, 12);
    const fallback = path.join(os.tmpdir(), `keyward-cache-${hash}`);
    fs.mkdirSync(fallback, { recursive: true });
    return fallback;
  }
}

const builds = new Map<string, Promise<UiBundle>>();

/** Build (once per process and set of entries) the renderer bundle. */
export function buildUiBundle(opts: BundleOptions = {}): Promise<UiBundle> {
  const root = opts.root ?? PROJECT_ROOT;
  const source = entrySource(opts);
  let build = builds.get(source);
  if (!build) {
    build = doBuild(root, source);
    builds.set(source, build);
    // A failed build is retried on the next request rather than cached.
    build.catch(() => builds.delete(source));
  }
  return build;
}

async function doBuild(root: string, source: string): Promise<UiBundle> {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir: root, sourcefile: 'keyward-ui-entry.ts', loader: 'ts' },
    bundle: true,
    // A classic script (not a module) so Electron can load it from file:// too.
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    outfile: 'app.js',
    write: false,
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    absWorkingDir: root,
  });
  const files = new Map<string, Buffer>([['index.html', Buffer.from(INDEX_HTML)]]);
  for (const out of result.outputFiles) files.set(path.basename(out.path), Buffer.from(out.contents));
  if (!files.has('app.css')) files.set('app.css', Buffer.alloc(0));

  const hash = createHash('sha256');
  for (const [name, data] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(name).update('\0').update(data);
  const dir = path.join(cacheDir(root), 'ui-' + hash.digest('hex').slice(0, 16));
  if (!fs.existsSync(path.join(dir, 'index.html'))) await writeAtomically(dir, files);
  return { dir, files };
}

/** Write into a private temp folder and rename it into place, so concurrent builders never see half a bundle. */
async function writeAtomically(dir: string, files: Map<string, Buffer>): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await fs.promises.mkdir(tmp, { recursive: true });
  for (const [name, data] of files) await fs.promises.writeFile(path.join(tmp, name), data);
  try {
    await fs.promises.rename(tmp, dir);
  } catch (err) {
    // Another process won the race with identical content.
    await fs.promises.rm(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'index.html'))) throw err;
  }
}
