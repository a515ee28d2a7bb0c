/**
 * HTML letters to PDF in an installed Chromium-family browser (puppeteer-core; Keyward never
 * downloads a browser). One browser per batch, several pages rendering at a time. PDFs stay
 * in memory: nothing is written but the browser's throw-away profile, removed when it closes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CommandError } from '../../src/kernel/index.js';
import { CHROMIUM_FLAGS, CHROMIUM_INSTALL_HINT, findChromium, isExecutable } from '../../src/shell/chromium.js';


/** Pages rendering at once: enough to overlap Chromium's layout with its PDF writing on two cores. */
export const DEFAULT_CONCURRENCY = 4;

export interface PdfOptions {
  /** The browser executable; default: `KEYWARD_BROWSER`, then the usual install places (src/shell/chromium.ts). */
  executablePath?: string;
  concurrency?: number;
  signal?: AbortSignal;
  /** Called after each finished document. */
  onProgress?(done: number, total: number): void;
}

/**
 * Render `count` HTML documents to A4 PDFs (the layout's `@page` rules win), in order.
 * `documentAt(i)` makes each document when a page is free for it, so a large batch never holds
 * every letter's HTML (and the keys in it) at once.
 * @throws CommandError `E_NO_BROWSER` when no browser is installed, `E_CANCELLED` on abort.
 */
export async function renderPdfs(count: number, documentAt: (i: number) => string | Promise<string>, opts: PdfOptions = {}): Promise<Uint8Array[]> {
  checkAbort(opts.signal);
  const executablePath = opts.executablePath || findChromium();
  if (!executablePath) throw new CommandError('E_NO_BROWSER', `Letters are made into PDF by a browser. ${CHROMIUM_INSTALL_HINT}`);
  if (!isExecutable(executablePath)) {
    throw new CommandError('E_NO_BROWSER', `The browser ${executablePath} (flag letters.browser) is not an executable file`);
  }
  if (count === 0) return [];
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'keyward-pdf-'));
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({ executablePath, headless: true, args: [...CHROMIUM_FLAGS], userDataDir: profileDir });
    const out: Uint8Array[] = new Array(count);
    let next = 0;
    let done = 0;
    const worker = async (page: Page) => {
      while (next < count) {
        checkAbort(opts.signal);
        const i = next++;
        out[i] = await renderOne(page, await documentAt(i));
        opts.onProgress?.(++done, count);
      }
    };
    const width = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, count));
    const pages = await Promise.all(Array.from({ length: width }, () => openPage(browser!)));
    await Promise.all(pages.map(worker));
    checkAbort(opts.signal); // a cancel during the last pages still means no letters
    return out;
  } finally {
    await browser?.close().catch(() => undefined);
    await rm(profileDir, { recursive: true, force: true });
  }
}

/** A page that runs no script and reaches no network: a layout is HTML and data: images only. */
async function openPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setOfflineMode(true);
  return page;
}

async function renderOne(page: Page, html: string): Promise<Uint8Array> {
  await page.setContent(html, { waitUntil: 'load' });
  return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CommandError('E_CANCELLED', 'Cancelled; no letter was written');
}

/**
 * Several rendered letters as one document, each starting on a new page: the first letter's
 * `<head>` (every letter of a batch has the same layout) and each letter's `<body>` content.
 */
export function combineLetters(documents: string[]): string {
  if (documents.length === 1) return documents[0]!;
  const head = /<head[^>]*>([\s\S]*?)<\/head>/i.exec(documents[0] ?? '')?.[1] ?? '';
  const bodies = documents.map((d) => /<body[^>]*>([\s\S]*)<\/body>/i.exec(d)?.[1] ?? d);
  const pages = bodies.map((b) => `<section class="kw-letter" style="break-after: page">${b}</section>`).join('\n');
  return `<!doctype html>\n<html>\n<head>${head}<style>.kw-letter:last-child { break-after: auto !important; }</style></head>\n<body>\n${pages}\n</body>\n</html>\n`;
}
