/**
 * Gateway rules with real parts: a kernel on a temp data dir, the users, keys and letters
 * plugins, real key issuing and the vault-encrypted collections.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernel, createTestKernel, definePlugin, type EventRecord, type TestKernel } from '../../src/kernel/index.js';
import { Period } from '../../src/crypto/index.js';
import domain from '../domain/index.js';
import keys from '../keys/index.js';
import { IKeys } from '../keys/tokens.js';
import layouts from '../layouts/index.js';
import letters from '../letters/index.js';
import settings from '../settings/index.js';
import users from '../users/index.js';
import gateways from './index.js';
import { IGateways, gatewayKeyOwner, type GatewaySummary } from './tokens.js';

const current = Period.of(new Date());

/** Hands the services to the test, as a consumer plugin gets them. */
function probe() {
  const seen: { keys?: IKeys; gateways?: IGateways } = {};
  return { seen, plugin: definePlugin({ id: 'probe', requires: { keys: IKeys, gateways: IGateways }, activate: (_c, deps) => void Object.assign(seen, deps) }) };
}

describe('gateways', () => {
  let t: TestKernel;
  let seen: { keys?: IKeys; gateways?: IGateways };
  /** The kernel in use: the test kit's, then the one reopened on the same data dir. */
  let kernel: Kernel;
  const exec = <R = unknown,>(id: string, args?: unknown) => kernel.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;

  beforeAll(async () => {
    const p = probe();
    seen = p.seen;
    t = await createTestKernel({ plugins: [domain, settings, keys, users, layouts, letters, gateways, p.plugin] });
    kernel = t.kernel;
    await exec('users.add', { firstName: 'Ann', lastName: 'Lee', mobile: '+46706764287', comment: '' });
    await exec('users.addLine', { mobile: '+46706764287', line: '+46706764288' });
  });
  afterAll(async () => {
    if (kernel !== t?.kernel) await kernel?.stop();
    await t?.cleanup();
  });

  it('adds a gateway with its engines; its number gets keys for this month and the next, owned by the gateway', async () => {
    const g = await exec<GatewaySummary>('gateways.add', { name: 'CIG Stockholm', number: '+8888', engines: 3 });
    expect(g).toMatchObject({ name: 'CIG Stockholm', number: '+8888', revokedEngines: [] });
    expect(g.id).toMatch(/^[0-9a-f]{32}$/);
    expect(g.engines).toHaveLength(3);
    expect(new Set(g.engines.map((e) => e.id)).size).toBe(3);
    expect(await seen.keys!.periods('tel:+8888')).toEqual([current.toString(), current.next().toString()]);
    const set = await seen.keys!.get('tel:+8888', current);
    expect(set?.owner).toBe(gatewayKeyOwner(g.id));
    // Each engine has its own random 128-bit update key.
    const record = seen.gateways!.get(g.id)!;
    expect(record.engines.map((e) => e.updateKey.length)).toEqual([16, 16, 16]);
    expect(new Set(record.engines.map((e) => Buffer.from(e.updateKey).toString('hex'))).size).toBe(3);
    expect(seen.gateways!.get('+8888')?.id).toBe(g.id);
    // The engines' update keys are kept only inside the vault-encrypted collection.
    for (const file of fs.readdirSync(t.dataDir).filter((f) => fs.statSync(path.join(t.dataDir, f)).isFile())) {
      const content = fs.readFileSync(path.join(t.dataDir, file));
      for (const e of record.engines) expect(content.includes(Buffer.from(e.updateKey).toString('hex')), file).toBe(false);
    }
    expect(fs.existsSync(path.join(t.dataDir, 'gateways.db'))).toBe(true);
    const listed = await exec<{ gateways: GatewaySummary[] }>('gateways.list');
    expect(listed.gateways).toEqual([g]);
  });

  it('refuses fewer than three crypto engines with the manual’s reason, and nothing is stored', async () => {
    for (const engines of [0, 1, 2]) {
      await expect(exec('gateways.add', { name: 'Small', number: '+8777', engines })).rejects.toMatchObject({
        code: 'E_TOO_FEW_ENGINES',
        message: 'engines: it is not possible to assign less than three Crypto Engines to a single gateway',
      });
    }
    await expect(exec('gateways.add', { name: 'Small', number: '+8777', engines: 2.5 })).rejects.toMatchObject({ code: 'E_INVALID_FIELD' });
    expect(await seen.keys!.periods('tel:+8777')).toEqual([]);
    expect(seen.gateways!.list().map((g) => g.number)).toEqual(['+8888']);
  });

  it('refuses a number that is not in international format, or a missing name', async () => {
    await expect(exec('gateways.add', { name: 'X', number: '8888', engines: 3 })).rejects.toMatchObject({
      code: 'E_INVALID_FIELD',
      details: { field: 'number' },
    });
    await expect(exec('gateways.add', { name: ' ', number: '+8777', engines: 3 })).rejects.toMatchObject({ details: { field: 'name' } });
    await expect(exec('gateways.add', { name: 'a;b', number: '+8777', engines: 3 })).rejects.toMatchObject({ details: { field: 'name' } });
  });

  it('refuses a number held by a user, a line or another gateway', async () => {
    await expect(exec('gateways.add', { name: 'G', number: '+46706764287', engines: 3 })).rejects.toMatchObject({
      code: 'E_NUMBER_IN_USE',
      message: 'number: +46706764287 is already in use by user +46706764287',
    });
    await expect(exec('gateways.add', { name: 'G', number: '+46 70 676 42 88', engines: 3 })).rejects.toMatchObject({
      code: 'E_NUMBER_IN_USE',
      message: 'number: +46706764288 is already in use by a line of user +46706764287',
    });
    await expect(exec('gateways.add', { name: 'G', number: '+8888', engines: 4 })).rejects.toMatchObject({
      code: 'E_NUMBER_IN_USE',
      message: 'number: +8888 is already in use by gateway CIG Stockholm',
    });
  });

  it('makes users refuse a gateway’s number, as a mobile and as a line', async () => {
    await expect(exec('users.add', { firstName: 'Bo', lastName: '', mobile: '+8888', comment: '' })).rejects.toMatchObject({
      code: 'E_NUMBER_IN_USE',
    });
    await expect(exec('users.addLine', { mobile: '+46706764287', line: '+8888' })).rejects.toMatchObject({ code: 'E_NUMBER_IN_USE' });
  });

  it('edits the name and adds engines with new credentials; the others keep theirs', async () => {
    const before = seen.gateways!.get('+8888')!;
    const r = await exec<{ gateway: GatewaySummary; added: string[]; revoked: string[] }>('gateways.edit', { id: before.id, name: 'CIG Kista', engines: 5 });
    expect(r.gateway.name).toBe('CIG Kista');
    expect(r.added).toHaveLength(2);
    expect(r.revoked).toEqual([]);
    const after = seen.gateways!.get(before.id)!;
    expect(after.engines.slice(0, 3).map((e) => [e.id, Buffer.from(e.updateKey).toString('hex')])).toEqual(
      before.engines.map((e) => [e.id, Buffer.from(e.updateKey).toString('hex')]),
    );
    expect(after.engines.slice(3).map((e) => e.id)).toEqual(r.added);
  });

  it('removes engines by revoking them (kept for the next update), never below three', async () => {
    const before = seen.gateways!.get('+8888')!;
    const r = await exec<{ gateway: GatewaySummary; revoked: string[] }>('gateways.edit', { id: '+8888', engines: 3 });
    expect(r.revoked).toEqual(before.engines.slice(3).map((e) => e.id));
    expect(r.gateway.engines.map((e) => e.id)).toEqual(before.engines.slice(0, 3).map((e) => e.id));
    expect(r.gateway.revokedEngines.map((e) => e.id)).toEqual(r.revoked);
    await expect(exec('gateways.edit', { id: before.id, engines: 2 })).rejects.toMatchObject({ code: 'E_TOO_FEW_ENGINES' });
    expect(seen.gateways!.get(before.id)!.engines).toHaveLength(3);
    // The edit is audited with the engine ids, never a key.
    const [entry] = (await exec<{ records: EventRecord[] }>('log.list', { action: 'gateways.edit' })).records;
    expect(entry).toMatchObject({ target: '+8888', details: { fields: ['engines'], added: [], revoked: r.revoked } });
    expect(JSON.stringify(entry)).not.toMatch(/updateKey/);
  });

  it('re-initiates one engine: it is revoked and replaced in place with new credentials; the others keep theirs', async () => {
    const before = seen.gateways!.get('+8888')!;
    const old = before.engines[1]!;
    const r = await exec<{ gateway: GatewaySummary; added: string[]; revoked: string[] }>('gateways.edit', { id: '+8888', replace: [old.id] });
    expect(r.revoked).toEqual([old.id]);
    expect(r.added).toHaveLength(1);
    const after = seen.gateways!.get('+8888')!;
    expect(after.engines.map((e) => e.id)).toEqual([before.engines[0]!.id, r.added[0], before.engines[2]!.id]);
    const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');
    expect([0, 2].map((i) => hex(after.engines[i]!.updateKey))).toEqual([0, 2].map((i) => hex(before.engines[i]!.updateKey)));
    expect(hex(after.engines[1]!.updateKey)).not.toBe(hex(old.updateKey));
    expect(after.revokedEngines.map((e) => e.id)).toContain(old.id);
    await expect(exec('gateways.edit', { id: '+8888', replace: [old.id] })).rejects.toMatchObject({
      code: 'E_INVALID_FIELD',
      details: { field: 'replace' },
    });
  });

  it('keeps gateways, engines and revocations across a restart (vault collection)', async () => {
    const before = seen.gateways!.list();
    await t.kernel.stop();
    const p = probe();
    kernel = await Kernel.create({ dataDir: t.dataDir, plugins: [domain, settings, keys, users, layouts, letters, gateways, p.plugin] });
    await exec('kernel.unlock', { passphrase: t.passphrase });
    seen = p.seen;
    expect(seen.gateways!.list()).toEqual(before);
    expect(seen.gateways!.list()[0]!.revokedEngines).toHaveLength(3);
  });

  it('deletes a gateway and its keys; its number is free again', async () => {
    const id = seen.gateways!.get('+8888')!.id;
    const r = await exec<{ deleted: GatewaySummary[] }>('gateways.delete', { ids: [id] });
    expect(r.deleted.map((g) => g.number)).toEqual(['+8888']);
    expect(await seen.keys!.periods('tel:+8888')).toEqual([]);
    expect(seen.gateways!.list()).toEqual([]);
    await expect(exec('gateways.delete', { ids: [id] })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    const [entry] = (await exec<{ records: EventRecord[] }>('log.list', { action: 'gateways.delete' })).records;
    expect(entry).toMatchObject({ target: '+8888', details: { gateways: [{ id, number: '+8888' }] } });
    await exec('users.add', { firstName: 'Bo', lastName: '', mobile: '+8888', comment: '' });
  });

  it('marks delete as destructive', async () => {
    const list = await exec<{ id: string; destructive: boolean }[]>('kernel.commands');
    expect(list.filter((c) => c.id.startsWith('gateways.')).map((c) => [c.id, c.destructive])).toEqual([
      ['gateways.add', false],
      ['gateways.delete', true],
      ['gateways.edit', false],
      ['gateways.letters', false],
      ['gateways.list', false],
    ]);
  });
});
