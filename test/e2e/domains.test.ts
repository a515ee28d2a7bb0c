/**
 * Browser end-to-end of Connected Domains in Debian Chromium: a peer is added by scanning its QR
 * code with a (fake) camera — a Y4M video made here from the certificate's QR image — and by
 * typing its rows, a wrong row refused at once; each route ends in confirming name, Id and fingerprint.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateEccsiMasterKeys, generateSakkeMasterKeys } from '../../src/crypto/index.js';
import { builtinPlugins } from '../../plugins/index.js';
import { certificateDigest, encodeCertificate } from '../../plugins/domains/certificate.js';
import { encodeRows } from '../../plugins/domains/rows.js';
import { createTestKernel, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const V = 'kw-app >>> kw-domains-peers >>> ';

/** A peer domain's certificate (fresh real keys). */
function peer(securityDomain: string): { bytes: Uint8Array; fingerprint: string; id: string } {
  const bytes = encodeCertificate({ securityDomain, kpak: generateEccsiMasterKeys().kpak, Z: generateSakkeMasterKeys().Z, created: new Date('2026-11-01T12:00:00Z') });
  return { bytes, ...certificateDigest(bytes) };
}

/**
 * One still frame as a YUV4MPEG2 video (4:2:0, what Chromium's fake capture device plays in a
 * loop): the QR image in grey on a white 640×640 frame, chroma neutral.
 */
async function qrY4m(bytes: Uint8Array, file: string): Promise<void> {
  const png = PNG.sync.read(await QRCode.toBuffer([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: 'M', margin: 4, scale: 6, type: 'png' }));
  const size = 640;
  if (png.width > size) throw new Error(`QR image ${png.width}px does not fit the ${size}px frame`);
  const y = Buffer.alloc(size * size, 235); // white in studio-swing luma
  const off = Math.floor((size - png.width) / 2);
  for (let r = 0; r < png.height; r++) {
    for (let c = 0; c < png.width; c++) y[(r + off) * size + c + off] = png.data[(r * png.width + c) * 4]! < 128 ? 16 : 235;
  }
  const chroma = Buffer.alloc((size / 2) * (size / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${size} H${size} F10:1 Ip A1:1 C420jpeg\n`);
  fs.writeFileSync(file, Buffer.concat([header, Buffer.from('FRAME\n'), y, chroma]));
}

let tk: TestKernel;
let shell: WebShell;
let session: BrowserSession;
let tmp: string;
const alpha = peer('alpha.example');

const text = (selector: string) => session.find(selector).then((h) => h.evaluate((e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
const waitText = (selector: string, wanted: string) =>
  session.waitUntil(selector, (e, w) => (e.textContent?.replace(/\s+/g, ' ') ?? '').includes(w), wanted);
const click = async (selector: string) => (await session.find(selector)).click();

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-e2e-domains-'));
  const video = path.join(tmp, 'qr.y4m');
  await qrY4m(alpha.bytes, video);
  tk = await createTestKernel({ plugins: builtinPlugins, setup: { securityDomain: 'beta.example' } });
  shell = await startWebShell(tk.kernel);
  session = await openBrowser({
    args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  await session.page.goto(shell.url);
  await session.page.goto(new URL('/#/domains.peers', shell.url).href);
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await tk?.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('Connected Domains in Chromium', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`domains-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('reminds that channels do not extend to connected domains and that the peer must add us too', async () => {
    const reminder = await text(V + '#reminder');
    expect(reminder).toContain('Channels do not extend to connected domains');
    expect(reminder).toContain('peer’s administrator has added this domain on their side too');
    await session.find(V + '#no-peers');
  });

  it('adds a peer scanned by the camera after its name, Id and fingerprint are confirmed', async () => {
    await click(V + '#add-camera');
    await waitText(V + '#peer-name', 'alpha.example');
    expect(await text(V + '#peer-id')).toBe(alpha.id);
    expect(await text(V + '#peer-fingerprint')).toBe(alpha.fingerprint);
    expect(await (await session.find(V + '#confirm-add')).evaluate((b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await click(V + '#agree');
    await click(V + '#confirm-add');
    await waitText(V + '#peers', alpha.fingerprint);
    const listed = await tk.kernel.commands.execute<{ fingerprint: string }[]>('domains.list');
    expect(listed.map((p) => p.fingerprint)).toEqual([alpha.fingerprint]);
    expect(session.pageErrors).toEqual([]);
  });

  it('adds a peer by typed rows, refusing a wrong row at once and opening the next only when it is right', async () => {
    const gamma = peer('gamma.example');
    const rows = encodeRows(gamma.bytes);
    await click(V + '#add-rows');
    const input = await session.find(V + '#row');
    // Row 1 with its second data character changed: refused as soon as it is complete.
    const wrong = rows[0]!.slice(0, 5) + (rows[0]![5] === 'A' ? 'B' : 'A') + rows[0]!.slice(6);
    await input.type(wrong);
    await waitText(V + '#row-error', 'Row 1: the checksum does not match');
    expect(await text(V + 'label[for="row"]')).toBe('Row 1');
    await input.evaluate((e) => ((e as HTMLInputElement).value = ''));
    for (const [i, row] of rows.entries()) {
      const field = await session.find(V + '#row');
      await field.evaluate((e) => ((e as HTMLInputElement).value = ''));
      await field.type(row);
      if (i + 1 < rows.length) await waitText(V + 'label[for="row"]', `Row ${i + 2} of ${rows.length}`);
    }
    await waitText(V + '#peer-name', 'gamma.example');
    expect(await text(V + '#peer-fingerprint')).toBe(gamma.fingerprint);
    await click(V + '#agree');
    await click(V + '#confirm-add');
    await waitText(V + '#peers', gamma.fingerprint);
    expect((await tk.kernel.commands.execute<{ fingerprint: string }[]>('domains.list')).length).toBe(2);
  });

  it('adds peers from image files, PNG and JPEG', async () => {
    const delta = peer('delta.example');
    const png = path.join(tmp, 'delta.png');
    fs.writeFileSync(png, await QRCode.toBuffer([{ data: delta.bytes, mode: 'byte' }], { errorCorrectionLevel: 'M', margin: 4, scale: 6, type: 'png' }));
    const input = (await session.find(V + '#image-file')) as import('puppeteer-core').ElementHandle<HTMLInputElement>;
    await input.uploadFile(png);
    await waitText(V + '#peer-name', 'delta.example');
    expect(await text(V + '#peer-fingerprint')).toBe(delta.fingerprint);
    await click(V + '#agree');
    await click(V + '#confirm-add');
    await waitText(V + '#peers', delta.fingerprint);

    // A JPEG (as a phone photo would be), made in the page from a PNG, through the same file input.
    const epsilon = peer('epsilon.example');
    const epsilonPng = (await QRCode.toBuffer([{ data: epsilon.bytes, mode: 'byte' }], { errorCorrectionLevel: 'M', margin: 4, scale: 6, type: 'png' })).toString('base64');
    const field = await session.find(V + '#image-file');
    await field.evaluate(async (el, b64) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
      const files = new DataTransfer();
      files.items.add(new File([jpeg], 'epsilon.jpg', { type: 'image/jpeg' }));
      (el as HTMLInputElement).files = files.files;
      el.dispatchEvent(new Event('change'));
    }, epsilonPng);
    await waitText(V + '#peer-name', 'epsilon.example');
    expect(await text(V + '#peer-fingerprint')).toBe(epsilon.fingerprint);
    await click(V + '#cancel');
    await session.find(V + '#peers');
    expect((await tk.kernel.commands.execute<{ fingerprint: string }[]>('domains.list')).length).toBe(3);
  });

  it('deletes a peer after confirmation', async () => {
    await click(V + `tr[data-fingerprint="${alpha.fingerprint}"] button.danger`);
    expect((await text('kw-confirm >>> kw-dialog')).replace(/\s+/g, ' ')).toContain('alpha.example');
    await click('kw-confirm >>> #confirm');
    await session.waitUntil(V + '#peers', (e, fp) => !(e.textContent ?? '').includes(fp), alpha.fingerprint);
    const names = (await tk.kernel.commands.execute<{ securityDomain: string }[]>('domains.list')).map((p) => p.securityDomain);
    expect(names).toEqual(['delta.example', 'gamma.example']);
  });

  it('My Domain shows the certificate’s name, Id, fingerprint, QR code and rows, and burns it', async () => {
    const own = await tk.kernel.commands.execute<{ id: string; fingerprint: string; rows: string[] }>('domains.certificate');
    await session.page.goto(new URL('/#/domains.mine', shell.url).href);
    const M = 'kw-app >>> kw-domains-mine >>> ';
    await waitText(M + '#own-id', own.id);
    expect(await text(M + '#own-name')).toBe('beta.example');
    expect(await text(M + '#own-fingerprint')).toBe(own.fingerprint);
    expect(await (await session.find(M + '#own-rows')).evaluate((e) => e.querySelectorAll('li').length)).toBe(own.rows.length);
    expect(await (await session.find(M + '#own-qr')).evaluate((e) => (e as HTMLImageElement).naturalWidth > 0)).toBe(true);
    await session.waitUntil(M + '#burn', (b) => !(b as HTMLButtonElement).disabled);
    await click(M + '#burn');
    const until = Date.now() + 30_000;
    while (!(await tk.kernel.commands.execute<{ total: number }>('log.list', { action: 'domains.burnCertificate' })).total) {
      if (Date.now() > until) throw new Error('the certificate was never burned');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(session.pageErrors).toEqual([]);
  });
});
