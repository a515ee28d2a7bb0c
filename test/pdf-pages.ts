/** Test helper: a PDF's pages as PNG images, the way an administrator's scanner would see them. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The PDF's pages as PNG at 150 dpi (poppler's pdftoppm), in page order; the temp folder is removed. */
export function pdfPagesAsPng(pdf: Uint8Array): Buffer[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-pdf-pages-'));
  try {
    fs.writeFileSync(path.join(dir, 'letter.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '150', '-png', path.join(dir, 'letter.pdf'), path.join(dir, 'page')]);
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => fs.readFileSync(path.join(dir, f)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
