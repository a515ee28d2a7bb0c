/**
 * Connected domains with real parts: two kernels (A and B) on temp data dirs with real master
 * keys; certificates pass between them as the QR code's bytes and as typed rows.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKernel, definePlugin, type EventRecord, type TestKernel } from '../../src/kernel/index.js';
import { generateEccsiMasterKeys, generateSakkeMasterKeys } from '../../src/crypto/index.js';
import devicesFolder from '../devices-folder/index.js';
import domain from '../domain/index.js';
import keys from '../keys/index.js';
import layouts from '../layouts/index.js';
import letters from '../letters/index.js';
import { readQrPng } from '../letters/qr-read.js';
import settings from '../settings/index.js';
import users from '../users/index.js';
import { encodeCertificate } from './certificate.js';
import domains from './index.js';
import { IDomain } from '../domain/tokens.js';
import { IDomains, PeersChangedHook, ownDomainDigest, type PeerChange } from './tokens.js';

interface Side {
  t: TestKernel;
  domains: IDomains;
  domain: IDomain;
  changes: PeerChange[];
  exec<R = any>(id: string, args?: unknown): Promise<R>;
  fails(id: string, args?: unknown): Promise<{ code: string; message: string; details?: any }>;
}

async function side(securityDomain: string): Promise<Side> {
  const seen: { domains?: IDomains; domain?: IDomain } = {};
  const changes: PeerChange[] = [];
  const probe = definePlugin({
    id: 'probe',
    requires: { domains: IDomains, domain: IDomain },
    activate(ctx, deps) {
      Object.assign(seen, deps);
      ctx.hooks.on(PeersChangedHook, (c) => void changes.push(c));
    },
  });
  const t = await createTestKernel({ plugins: [domain, settings, keys, users, layouts, letters, devicesFolder, domains, probe], setup: { securityDomain } });
  const exec = <R>(id: string, args?: unknown) => t.kernel.commands.execute<R & any>(id, args as never, { actor: 'test' });
  const fails = async (id: string, args?: unknown) => {
    try {
      await exec(id, args);
    } catch (err) {
      return err as { code: string; message: string; details?: any };
    }
    throw new Error(`${id} succeeded`);
  };
  return { t, domains: seen.domains!, domain: seen.domain!, changes, exec, fails };
}

let A: Side;
let B: Side;
beforeAll(async () => {
  [A, B] = await Promise.all([side('alpha.example'), side('beta.example')]);
});
afterAll(async () => {
  await A?.t.cleanup();
  await B?.t.cleanup();
});

/** A certificate of a domain with fresh keys (another installation we do not need to run). */
function foreign(securityDomain: string, change?: (c: { kpak: Uint8Array; Z: Uint8Array }) => void): string {
  const c = { kpak: generateEccsiMasterKeys().kpak, Z: generateSakkeMasterKeys().Z };
  change?.(c);
  return Buffer.from(encodeCertificate({ securityDomain, ...c, created: new Date('2026-01-01T00:00:00Z') })).toString('base64');
}

describe('my domain certificate', () => {
  it('shows name, Id, fingerprint, rows and a QR code, and stays the same from call to call', async () => {
    const own = await A.exec('domains.certificate');
    expect(own).toMatchObject({ securityDomain: 'alpha.example', id: expect.stringMatching(/^[0-9A-F]{4} [0-9A-F]{4}$/) });
    expect(own.fingerprint.startsWith(own.id)).toBe(true);
    expect(own.png).toMatch(/^data:image\/png;base64,/);
    expect(own.rows.length).toBe(Math.ceil(Buffer.from(own.certificateBase64, 'base64').length / 15));
    expect(await A.exec('domains.certificate')).toEqual(own);
    expect((await A.domains.ownCertificate()).fingerprint).toBe(own.fingerprint);
    // Letters get the same $OWN-DOMAIN-ID and $OWN-DOMAIN-FINGERPRINT without the domains plugin.
    expect(ownDomainDigest(A.domain)).toEqual({ id: own.id, fingerprint: own.fingerprint });
    expect(own.created).toBe(new Date(Math.floor(Date.parse(A.domain.created) / 1000) * 1000).toISOString());
  });
});

describe('adding and deleting peers', () => {
  it('B previews A’s certificate, is refused without confirmation, then adds it; A adds B by typed rows', async () => {
    const a = await A.exec('domains.certificate');
    const preview = await B.exec('domains.preview', { certificateBase64: a.certificateBase64 });
    expect(preview).toMatchObject({ securityDomain: 'alpha.example', id: a.id, fingerprint: a.fingerprint });
    expect(await B.fails('domains.add', { certificateBase64: a.certificateBase64 })).toMatchObject({ code: 'E_NOT_CONFIRMED' });
    expect(await B.exec('domains.list')).toEqual([]);
    expect(await B.exec('domains.add', { certificateBase64: a.certificateBase64, confirmed: true })).toMatchObject({ fingerprint: a.fingerprint });

    const b = await B.exec('domains.certificate');
    // Row by row, as the view does: row 1 announces the length, each next row is checked against it.
    const first = await A.exec('domains.checkRow', { index: 1, text: b.rows[0] });
    expect(first).toMatchObject({ ok: true, index: 1, rows: b.rows.length });
    for (let i = 2; i <= b.rows.length; i++) {
      expect(await A.exec('domains.checkRow', { index: i, text: b.rows[i - 1], certificateBytes: first.certificateBytes })).toMatchObject({ ok: true, index: i });
    }
    expect(await A.exec('domains.add', { rows: b.rows, confirmed: true })).toMatchObject({ securityDomain: 'beta.example', fingerprint: b.fingerprint });

    expect((await A.exec('domains.list')).map((p: any) => [p.securityDomain, p.fingerprint])).toEqual([['beta.example', b.fingerprint]]);
    expect((await B.exec('domains.list')).map((p: any) => [p.securityDomain, p.fingerprint])).toEqual([['alpha.example', a.fingerprint]]);
    const [peer] = await B.domains.peers();
    const ownA = await A.domains.ownCertificate();
    expect(peer!.certificate).toEqual(ownA.bytes);
    expect(B.changes.map((c) => [c.change, c.peer.securityDomain])).toEqual([['added', 'alpha.example']]);
    expect(B.changes[0]!.peer.Z).toHaveLength(257);
  });

  it('a wrong typed row is refused at once, naming the row', async () => {
    const b = await B.exec('domains.certificate');
    const row = b.rows[2] as string;
    const last = row.at(-1) === '0' ? '1' : '0';
    const err = await A.fails('domains.checkRow', { index: 3, text: row.slice(0, -1) + last });
    expect(err).toMatchObject({ code: 'E_INVALID_ROW', details: { index: 3 } });
    expect(err.message).toContain('Row 3: the checksum does not match');
    expect(await A.fails('domains.checkRow', { index: 2, text: row })).toMatchObject({ code: 'E_INVALID_ROW', message: 'Row 2: this is row 3; type row 2 here' });
    const short = b.rows.slice(0, -1);
    expect(await A.fails('domains.preview', { rows: short })).toMatchObject({ code: 'E_INVALID_ROWS' });
  });

  it('refuses our own certificate, one already added, a name clash and points off the curve or of small order', async () => {
    const a = await A.exec('domains.certificate');
    const b = await B.exec('domains.certificate');
    expect(await A.fails('domains.preview', { certificateBase64: a.certificateBase64 })).toMatchObject({ code: 'E_OWN_DOMAIN' });
    expect(await A.fails('domains.add', { rows: a.rows, confirmed: true })).toMatchObject({ code: 'E_OWN_DOMAIN' });
    expect(await A.fails('domains.add', { certificateBase64: b.certificateBase64, confirmed: true })).toMatchObject({ code: 'E_ALREADY_ADDED' });
    expect(await A.fails('domains.add', { certificateBase64: foreign('Beta.Example'), confirmed: true })).toMatchObject({ code: 'E_NAME_CLASH' });
    expect(await A.fails('domains.add', { certificateBase64: foreign('alpha.example'), confirmed: true })).toMatchObject({ code: 'E_NAME_CLASH' });
    const offCurve = await A.fails('domains.add', { certificateBase64: foreign('gamma.example', (c) => void (c.Z[200]! ^= 1)), confirmed: true });
    expect(offCurve).toMatchObject({ code: 'E_INVALID_CERTIFICATE', details: { field: 'Z', reason: 'E_NOT_ON_CURVE' } });
    const smallOrder = await A.fails('domains.add', { certificateBase64: foreign('gamma.example', (c) => void c.Z.fill(0, 1)), confirmed: true });
    expect(smallOrder).toMatchObject({ code: 'E_INVALID_CERTIFICATE', details: { field: 'Z', reason: 'E_NOT_IN_SUBGROUP' } });
    expect(await A.fails('domains.add', { certificateBase64: 'S1dEQw==', confirmed: true })).toMatchObject({ code: 'E_INVALID_CERTIFICATE' });
    expect(await A.fails('domains.add', { certificateBase64: '%%%', confirmed: true })).toMatchObject({ code: 'E_INVALID_ARGS' });
    expect((await A.exec('domains.list')).length).toBe(1);
  });

  it('deletes a peer by its Id; it is listed as deleted for the next update and can be added again', async () => {
    const since = new Date(Date.now() - 60_000);
    const c = foreign('gamma.example');
    const added = await A.exec('domains.add', { certificateBase64: c, confirmed: true });
    expect((await A.domains.changesSince(since)).added.map((p) => p.securityDomain)).toEqual(['beta.example', 'gamma.example']);
    expect(await A.fails('domains.delete', { fingerprint: '0000 0000' })).toMatchObject({ code: 'E_NOT_FOUND' });
    expect(await A.exec('domains.delete', { fingerprint: added.id })).toMatchObject({ fingerprint: added.fingerprint });
    expect((await A.exec('domains.list')).map((p: any) => p.securityDomain)).toEqual(['beta.example']);
    const changes = await A.domains.changesSince(since);
    expect(changes.added.map((p) => p.securityDomain)).toEqual(['beta.example']);
    expect(changes.deleted.map((p) => [p.securityDomain, p.Z.length])).toEqual([['gamma.example', 257]]);
    expect((await A.domains.changesSince(new Date(Date.now() + 60_000))).deleted).toEqual([]);
    expect(A.changes.map((x) => x.change)).toEqual(['added', 'added', 'deleted']);
    await A.exec('domains.add', { certificateBase64: c, confirmed: true });
    expect((await A.exec('domains.list')).length).toBe(2);
    expect((await A.domains.changesSince(since)).deleted).toEqual([]);
  });

  it('records adds and deletes in the event log by name, Id and fingerprint, never key bytes', async () => {
    const { records } = await A.exec<{ records: EventRecord[] }>('log.list', { limit: 50 });
    const ours = records.filter((r) => r.action.startsWith('domains.'));
    expect(ours.map((r) => r.action).sort()).toEqual(['domains.add', 'domains.add', 'domains.add', 'domains.delete']);
    expect(ours.find((r) => r.action === 'domains.delete')).toMatchObject({ target: 'gamma.example', details: { id: expect.any(String), fingerprint: expect.any(String) } });
    const kpakHex = Buffer.from((await B.domains.ownCertificate()).bytes.subarray(-257)).toString('hex');
    expect(JSON.stringify(records)).not.toContain(kpakHex.slice(2, 40));
  });
});

describe('Print and Burn PDF of my domain certificate (devices-folder, Chromium, poppler)', () => {
  /** The first page of a PDF as PNG (pdftoppm) and its text (pdftotext). */
  function pageOf(pdf: Buffer): { png: Buffer; text: string } {
    const png = execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', '-'], { input: pdf, maxBuffer: 64 << 20 });
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    return { png, text };
  }

  it('burns it verified: the QR code reads back to the certificate, and the page shows name, Id, fingerprint and every row', async () => {
    const own = await A.domains.ownCertificate();
    const r = await A.exec('domains.burnCertificate');
    expect(r).toMatchObject({ verified: true, id: own.id, volumeLabel: `KEYWARD_DOMAIN_${own.id.replace(' ', '')}` });
    expect(r.written).toEqual([`domain-certificate-${own.id.replace(' ', '')}.pdf`]);
    const page = pageOf(fs.readFileSync(path.join(r.destination, r.written[0])));
    expect(readQrPng(page.png)).toEqual(own.bytes);
    const text = page.text.replace(/\s+/g, ' ');
    for (const shown of ['alpha.example', own.id, own.fingerprint, ...own.rows]) expect(text).toContain(shown);
    const [entry] = (await A.exec<{ records: EventRecord[] }>('log.list', { action: 'domains.burnCertificate' })).records;
    expect(entry).toMatchObject({ target: own.id, details: { verified: true, volumeLabel: r.volumeLabel } });
  });

  it('prints it to the print folder', async () => {
    const r = await A.exec('domains.printCertificate');
    expect(r.printed).toHaveLength(1);
    expect(fs.readFileSync(path.join(r.destination, r.printed[0])).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
