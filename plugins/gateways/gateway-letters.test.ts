/**
 * Gateway initiation letters with real parts: keys issued by the domain, the gateway layout,
 * Chromium making the PDF (letters plugin), pdftoppm and jsQR reading every engine's QR code back,
 * and the devices-folder plugin standing in for the burner and printer.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKernel, definePlugin, type EventRecord, type TestKernel } from '../../src/kernel/index.js';
import { Period, bytesToHex, rskMatches, validateRsk, validateSsk } from '../../src/crypto/index.js';
import devicesFolder from '../devices-folder/index.js';
import domain from '../domain/index.js';
import { IDomain } from '../domain/tokens.js';
import keys from '../keys/index.js';
import layouts from '../layouts/index.js';
import letters from '../letters/index.js';
import { readQrPng } from '../letters/qr-read.js';
import { tlsCredential } from '../letters/tokens.js';
import settings from '../settings/index.js';
import users from '../users/index.js';
import { decodeEngineQr, type DecodedEngineQr } from './engine-qr.js';
import gateways from './index.js';
import { IGateways, engineTlsUri, type GatewaySummary } from './tokens.js';
import { pdfPagesAsPng } from '../../test/pdf-pages.js';

const period = Period.of(new Date()).toString();

describe('gateway initiation letters', () => {
  let t: TestKernel;
  let stick: string;
  const seen: { domain?: IDomain; gateways?: IGateways } = {};
  let g: GatewaySummary;
  const exec = <R = unknown,>(id: string, args?: unknown) => t.kernel.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;

  beforeAll(async () => {
    stick = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-gateways-stick-'));
    const probe = definePlugin({ id: 'probe', requires: { domain: IDomain, gateways: IGateways }, activate: (_c, deps) => void Object.assign(seen, deps) });
    t = await createTestKernel({
      plugins: [domain, settings, keys, users, layouts, letters, devicesFolder, gateways, probe],
      config: { flags: { 'devices.burnFolder': stick } },
    });
    g = await exec<GatewaySummary>('gateways.add', { name: 'CIG Kista', number: '+8888', engines: 3 });
  });
  afterAll(async () => {
    await t?.cleanup();
    fs.rmSync(stick, { recursive: true, force: true });
  });

  /** Every check a gateway engine makes on what it scanned. */
  function expectEngine(d: DecodedEngineQr, index: number): void {
    const { kpak, Z } = seen.domain!.publicKeys();
    const { z } = seen.domain!.masterSecrets();
    const engine = seen.gateways!.get(g.id)!.engines[index - 1]!;
    expect(d.engine).toEqual({ index, count: 3, id: engine.id });
    expect(d.uri).toBe('tel:+8888');
    expect(d.period).toBe(period);
    expect(bytesToHex(d.updateKey)).toBe(bytesToHex(engine.updateKey));
    expect(bytesToHex(d.tlsCredential)).toBe(bytesToHex(tlsCredential('s3cret-shared', engineTlsUri('+8888', engine.id))));
    expect(validateSsk(kpak, d.identity, d.ssk, d.pvt)).toBe(true);
    expect(validateRsk(Z, d.identity, d.rsk)).toBe(true);
    expect(rskMatches(z, d.identity, d.rsk)).toBe(true);
  }

  it('makes one PDF per gateway with a page and a QR code per engine, each with its own credentials', async () => {
    const { files } = await exec<{ files: { fileName: string; pdf: string }[] }>('gateways.letters', { ids: [g.id] });
    expect(files.map((f) => f.fileName)).toEqual(['gateway-+8888.pdf']);
    const pdf = Buffer.from(files[0]!.pdf, 'base64');
    const pages = pdfPagesAsPng(pdf);
    expect(pages).toHaveLength(3);
    const decoded = pages.map((p, i) => decodeEngineQr(readQrPng(p, `page ${i + 1}`)));
    decoded.forEach((d, i) => expectEngine(d, i + 1));
    // Same gateway keys, different engine credentials.
    expect(new Set(decoded.map((d) => bytesToHex(d.tlsCredential))).size).toBe(3);
    expect(new Set(decoded.map((d) => bytesToHex(d.ssk))).size).toBe(1);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
    expect(text).toContain('CIG Kista');
    expect(text).toContain(`2 of 3 (engine ${g.engines[1]!.id})`);
  });

  it('makes one engine’s letter alone (to re-initiate that engine); an unknown engine id is refused', async () => {
    const engine = g.engines[1]!.id;
    const { files } = await exec<{ files: { fileName: string; pdf: string }[] }>('gateways.letters', { ids: [g.id], engines: [engine] });
    expect(files.map((f) => f.fileName)).toEqual(['gateway-+8888-engine-2.pdf']);
    const pages = pdfPagesAsPng(Buffer.from(files[0]!.pdf, 'base64'));
    expect(pages).toHaveLength(1);
    expectEngine(decodeEngineQr(readQrPng(pages[0]!, 'page 1')), 2);
    await expect(exec('gateways.letters', { ids: [g.id], engines: ['0'.repeat(32)] })).rejects.toMatchObject({ code: 'E_NOT_FOUND', details: { field: 'engines' } });
    const [entry] = (await exec<{ records: EventRecord[] }>('log.list', { action: 'gateways.letters' })).records;
    expect(entry).toMatchObject({ details: { mode: 'pdf', engines: [engine] } });
  });

  it('burns the selected gateways’ letters to the burn folder, verified and audited without keys', async () => {
    const r = await exec<{ written: string[]; verified: boolean; volumeLabel: string; destination: string }>('gateways.letters', { ids: ['+8888'], burn: true });
    expect(r.verified).toBe(true);
    expect(r.volumeLabel).toMatch(/^KEYWARD_GATEWAYS_\d{8}$/);
    expect(r.written).toEqual(['gateway-+8888.pdf']);
    const pages = pdfPagesAsPng(fs.readFileSync(path.join(r.destination, 'gateway-+8888.pdf')));
    expectEngine(decodeEngineQr(readQrPng(pages[2]!, 'page 3')), 3);
    const [entry] = (await exec<{ records: EventRecord[] }>('log.list', { action: 'gateways.letters' })).records;
    expect(entry).toMatchObject({ target: '+8888', details: { mode: 'burn', gateways: [{ id: g.id, number: '+8888' }] } });
  });

  it('prints through the devices plugin', async () => {
    const r = await exec<{ printed: string[]; destination: string }>('gateways.letters', { ids: [g.id], print: true });
    expect(r.printed).toEqual(['gateway-+8888.pdf']);
    expect(pdfPagesAsPng(fs.readFileSync(path.join(r.destination, r.printed[0]!)))).toHaveLength(3);
  });

  it('refuses print and burn together, an unknown gateway, and a burn without a burner', async () => {
    await expect(exec('gateways.letters', { ids: [g.id], print: true, burn: true })).rejects.toMatchObject({ code: 'E_INVALID_FIELD' });
    await expect(exec('gateways.letters', { ids: ['+8777'] })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    fs.rmSync(stick, { recursive: true, force: true });
    await expect(exec('gateways.letters', { ids: [g.id], burn: true })).rejects.toMatchObject({ code: 'E_NO_BURNER' });
  });
});
