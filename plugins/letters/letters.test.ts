/**
 * Letters end to end with real parts: a kernel on a temp data dir, real keys, the layouts
 * plugin, Chromium making the PDF, poppler's pdftoppm turning it into PNG, jsQR reading the QR
 * code and the crypto checks on the keys it carries.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKernel, definePlugin, type EventRecord, type PluginDefinition, type TestKernel } from '../../src/kernel/index.js';
import { Period, bytesToHex, hexToBytes, rskMatches, validateRsk, validateSsk } from '../../src/crypto/index.js';
import devicesFolder from '../devices-folder/index.js';
import domain from '../domain/index.js';
import keys from '../keys/index.js';
import layouts from '../layouts/index.js';
import settings from '../settings/index.js';
import users from '../users/index.js';
import { IDomain } from '../domain/tokens.js';
import type { UserDetails } from '../users/tokens.js';
import letters from './index.js';
import { decodeUserQr, type DecodedUserQr } from './qr-payload.js';
import { readQrPng } from './qr-read.js';
import { pdfPagesAsPng } from '../../test/pdf-pages.js';

const PLUGINS: PluginDefinition<any, any, any>[] = [domain, settings, keys, users, layouts, letters];
const period = Period.of(new Date()).toString();

/** Hands the domain service to the test, as a consumer plugin gets it. */
function probe() {
  const seen: { domain?: IDomain } = {};
  return {
    seen,
    plugin: definePlugin({ id: 'probe', requires: { domain: IDomain }, activate: (_ctx, deps) => void Object.assign(seen, deps) }),
  };
}

interface Setup {
  t: TestKernel;
  domain: IDomain;
  exec<R = unknown>(id: string, args?: unknown): Promise<R>;
}

async function start(qrEncryption: boolean, extra: { plugins?: typeof PLUGINS; flags?: Record<string, string> } = {}): Promise<Setup> {
  const p = probe();
  const t = await createTestKernel({
    plugins: [...PLUGINS, ...(extra.plugins ?? []), p.plugin],
    config: { flags: { 'letters.qrEncryption': qrEncryption, ...extra.flags } },
  });
  const exec = <R,>(id: string, args?: unknown) => t.kernel.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;
  await exec('users.add', { firstName: 'John Göran', lastName: 'Smith', mobile: '+46706764287', comment: '' });
  await exec('users.add', { firstName: 'Dana', lastName: 'Doe', mobile: '+44999888777', comment: '' });
  return { t, domain: p.seen.domain!, exec };
}

type PdfResult = { files: { fileName: string; pdf: string }[] };

function pdfText(pdf: Uint8Array): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}

/** Every check a phone makes on the keys it scanned, against the domain that issued them. */
function expectValidKeys(d: DecodedUserQr, s: Setup, mobile: string): void {
  const { kpak, Z } = s.domain.publicKeys();
  const { z } = s.domain.masterSecrets();
  expect(d.uri).toBe(`tel:${mobile}`);
  expect(d.period).toBe(period);
  expect(d.securityDomain).toBe('test.example');
  expect(d.crs).toEqual({ address: 'crs.example.net', account: 'DEMOACCOUNT_1' });
  expect(bytesToHex(d.kpak)).toBe(bytesToHex(kpak));
  expect(bytesToHex(d.Z)).toBe(bytesToHex(Z));
  expect(validateSsk(kpak, d.identity, d.ssk, d.pvt)).toBe(true);
  expect(validateRsk(Z, d.identity, d.rsk)).toBe(true);
  expect(rskMatches(z, d.identity, d.rsk)).toBe(true);
}

const tempEntries = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('keyward-pdf-'));

describe('user initiation letters, clear QR codes', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await start(false);
  });
  afterAll(() => s?.t.cleanup());

  it('renders a PDF in Chromium whose QR code reads back to keys that pass the crypto checks', async () => {
    const before = tempEntries();
    const { files } = await s.exec<PdfResult>('letters.pdf', { mobiles: ['+46706764287'] });
    expect(files.map((f) => f.fileName)).toEqual(['initiation-+46706764287.pdf']);
    const pdf = Buffer.from(files[0]!.pdf, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdfPagesAsPng(pdf);
    expect(pages).toHaveLength(1);
    const d = decodeUserQr(readQrPng(pages[0]!, 'page 1'));
    expect(d.protected).toBe(false);
    expectValidKeys(d, s, '+46706764287');
    const text = pdfText(pdf);
    expect(text).toContain('CONTAINS PRIVATE KEYS');
    expect(text).toContain('John Göran Smith');
    // No browser profile or PDF is left behind.
    expect(tempEntries()).toEqual(before);
    expect(fs.readdirSync(s.t.dataDir).filter((f) => f.endsWith('.pdf'))).toEqual([]);
  });

  it('combines letters into one PDF, each user on their own page', async () => {
    const { files } = await s.exec<PdfResult>('letters.pdf', { mobiles: ['+46706764287', '+44999888777'], combined: true });
    expect(files).toHaveLength(1);
    expect(files[0]!.fileName).toMatch(/^initiation-letters-\d{8}-\d{6}\.pdf$/);
    const pages = pdfPagesAsPng(Buffer.from(files[0]!.pdf, 'base64'));
    expect(pages).toHaveLength(2);
    const decoded = pages.map((p, i) => decodeUserQr(readQrPng(p, `page ${i + 1}`)));
    expect(decoded.map((d) => d.uri)).toEqual(['tel:+46706764287', 'tel:+44999888777']);
    expectValidKeys(decoded[1]!, s, '+44999888777');
  });

  it('shows the QR code on screen and records who viewed it, never the keys', async () => {
    const qr = await s.exec<{ payload: string; png: string; protected: boolean; period: string }>('letters.userQr', { mobile: '+44999888777' });
    expect(qr.protected).toBe(false);
    expect(qr.period).toBe(period);
    const read = readQrPng(Buffer.from(qr.png.slice('data:image/png;base64,'.length), 'base64'));
    expect(bytesToHex(read)).toBe(qr.payload);
    const d = decodeUserQr(hexToBytes(qr.payload));
    expectValidKeys(d, s, '+44999888777');
    const log = (await s.exec<{ records: EventRecord[] }>('log.list', { action: 'letters.userQr' })).records;
    expect(log.map((r) => r.target)).toEqual(['+44999888777']);
    const all = JSON.stringify((await s.exec<{ records: EventRecord[] }>('log.list', { limit: 1000 })).records);
    expect(all).not.toContain(bytesToHex(d.ssk));
    expect(all).not.toContain(bytesToHex(d.ssk).slice(0, 16));
  });

  it('audits letters.pdf with the users it was for', async () => {
    const log = (await s.exec<{ records: EventRecord[] }>('log.list', { action: 'letters.pdf' })).records;
    expect(log.map((r) => [r.target, r.details])).toEqual(
      expect.arrayContaining([
        ['+46706764287', { mobiles: ['+46706764287'] }],
        ['2 users', { mobiles: ['+46706764287', '+44999888777'] }],
      ]),
    );
  });

  it('refuses an unknown number before starting the browser, and bad arguments, naming the field', async () => {
    await expect(s.exec('letters.pdf', { mobiles: ['+46706764287', '+1555'] })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      details: { field: 'mobiles', mobile: '+1555' },
    });
    await expect(s.exec('letters.pdf', { mobiles: [] })).rejects.toMatchObject({ code: 'E_INVALID_ARGS', details: { field: 'mobiles' } });
    await expect(s.exec('letters.pdf', { mobiles: ['+46706764287'], combined: 'yes' })).rejects.toMatchObject({ details: { field: 'combined' } });
    await expect(s.exec('letters.userQr', {})).rejects.toMatchObject({ code: 'E_INVALID_ARGS', details: { field: 'mobile' } });
  });

  it('cancels a batch: no letters come back', async () => {
    const controller = new AbortController();
    const run = s.t.kernel.commands.execute('letters.pdf', { mobiles: ['+46706764287', '+44999888777'] }, {
      actor: 'test',
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });

  it('says so when no devices plugin is active', async () => {
    await expect(s.exec('letters.print', { mobiles: ['+46706764287'] })).rejects.toMatchObject({ code: 'E_NO_DEVICES' });
    await expect(s.exec('letters.burn', { mobiles: ['+46706764287'] })).rejects.toMatchObject({ code: 'E_NO_DEVICES' });
  });
});

describe('the browser setting', () => {
  it('names the flag when the browser it points to is not there', async () => {
    const s = await start(false, { flags: { 'letters.browser': '/nonexistent/chromium' } });
    try {
      await expect(s.exec('letters.pdf', { mobiles: ['+46706764287'] })).rejects.toMatchObject({
        code: 'E_NO_BROWSER',
        message: 'The browser /nonexistent/chromium (flag letters.browser) is not an executable file',
      });
    } finally {
      await s.t.cleanup();
    }
  });
});

describe('user initiation letters with QR protection', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await start(true);
  });
  afterAll(() => s?.t.cleanup());

  it('encrypts the QR code under the QR code key shown in User Details; a wrong key is a clear error', async () => {
    const { files } = await s.exec<PdfResult>('letters.pdf', { mobiles: ['+46706764287'] });
    const pdf = Buffer.from(files[0]!.pdf, 'base64');
    const bytes = readQrPng(pdfPagesAsPng(pdf)[0]!, 'page 1');
    expect(() => decodeUserQr(bytes)).toThrow(expect.objectContaining({ code: 'E_QR_KEY_NEEDED' }));
    const details = await s.exec<UserDetails>('users.show', { mobile: '+46706764287' });
    const wrong = hexToBytes(details.qrCodeKey!);
    wrong[0] ^= 0x80;
    expect(() => decodeUserQr(bytes, { qrKey: wrong })).toThrow(/QR code key does not open this QR code/);
    const other = await s.exec<UserDetails>('users.show', { mobile: '+44999888777' });
    expect(() => decodeUserQr(bytes, { qrKey: hexToBytes(other.qrCodeKey!) })).toThrow(expect.objectContaining({ code: 'E_QR_KEY' }));
    const d = decodeUserQr(bytes, { qrKey: hexToBytes(details.qrCodeKey!) });
    expect(d.protected).toBe(true);
    expectValidKeys(d, s, '+46706764287');
    // The key that opens the code is never printed on the letter.
    expect(pdfText(pdf).replace(/\s/g, '').toLowerCase()).not.toContain(details.qrCodeKey!.slice(0, 8));
  });

  it('shows a protected QR code on screen too', async () => {
    const qr = await s.exec<{ payload: string; protected: boolean }>('letters.userQr', { mobile: '+44999888777' });
    expect(qr.protected).toBe(true);
    const key = (await s.exec<UserDetails>('users.show', { mobile: '+44999888777' })).qrCodeKey!;
    expectValidKeys(decodeUserQr(hexToBytes(qr.payload), { qrKey: hexToBytes(key) }), s, '+44999888777');
  });
});

describe('Print and Burn PDF through the devices plugin (devices-folder)', () => {
  let s: Setup;
  let stick: string;
  beforeAll(async () => {
    stick = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-letters-stick-'));
    s = await start(false, { plugins: [devicesFolder], flags: { 'devices.burnFolder': stick } });
  });
  afterAll(async () => {
    await s?.t.cleanup();
    fs.rmSync(stick, { recursive: true, force: true });
  });

  it('burns one PDF per user, verified, under a volume label; each reads back to its user’s keys', async () => {
    const r = await s.exec<{ written: string[]; verified: boolean; volumeLabel: string; destination: string }>('letters.burn', {
      mobiles: ['+46706764287', '+44999888777'],
    });
    expect(r.verified).toBe(true);
    expect(r.volumeLabel).toMatch(/^KEYWARD_LETTERS_\d{8}$/);
    expect(r.destination).toBe(path.join(stick, r.volumeLabel));
    expect(r.written).toEqual(['initiation-+46706764287.pdf', 'initiation-+44999888777.pdf']);
    const pdf = fs.readFileSync(path.join(r.destination, 'initiation-+44999888777.pdf'));
    expectValidKeys(decodeUserQr(readQrPng(pdfPagesAsPng(pdf)[0]!, 'page 1')), s, '+44999888777');
    const [entry] = (await s.exec<{ records: EventRecord[] }>('log.list', { action: 'letters.burn' })).records;
    expect(entry).toMatchObject({ target: '2 users', details: { files: 2, verified: true, volumeLabel: r.volumeLabel } });
  });

  it('prints one combined letter file', async () => {
    const r = await s.exec<{ printed: string[]; destination: string }>('letters.print', { mobiles: ['+46706764287', '+44999888777'], combined: true });
    expect(r.printed).toHaveLength(1);
    expect(pdfPagesAsPng(fs.readFileSync(path.join(r.destination, r.printed[0]!)))).toHaveLength(2);
  });

  it('refuses to burn when the burner (the USB stick) is gone, before making any letter', async () => {
    fs.rmSync(stick, { recursive: true, force: true });
    const before = tempEntries();
    await expect(s.exec('letters.burn', { mobiles: ['+46706764287'] })).rejects.toMatchObject({ code: 'E_NO_BURNER' });
    expect(tempEntries()).toEqual(before);
  });
});
