import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKernel, definePlugin, type EventRecord, type TestKernel } from '../../src/kernel/index.js';
import { Period, bytesToHex, hexToBytes, parseIdentity, validateRsk, validateSsk } from '../../src/crypto/index.js';
import { IDomain } from '../domain/tokens.js';
import domain from '../domain/index.js';
import settings from '../settings/index.js';
import keysPlugin from './index.js';
import { IKeys, telUri, type KeySetRecord } from './tokens.js';

/** A plugin that owns a collection beside the keys, as users (and later gateways) do. */
function consumer() {
  const seen: { keys?: IKeys; domain?: IDomain; store?: any } = {};
  const plugin = definePlugin({
    id: 'consumer',
    requires: { keys: IKeys, domain: IDomain },
    activate(ctx, deps) {
      Object.assign(seen, deps, { store: ctx.collections.open('consumer') });
    },
  });
  return { plugin, seen };
}

let t: TestKernel;
let seen: ReturnType<typeof consumer>['seen'];
const dec = Period.parse('2026-12');
const jan = dec.next();
const uri = telUri('+46706764287');

beforeAll(async () => {
  const c = consumer();
  seen = c.seen;
  t = await createTestKernel({ plugins: [domain, settings, keysPlugin, c.plugin] });
  const sets = await seen.keys!.issue([{ uri, owner: 'consumer:a' }], [dec, jan]);
  await seen.keys!.atomically([], (w) => w.put(sets));
});
afterAll(() => t?.cleanup());

describe('IKeys', () => {
  it('issues checked key sets once per (uri, period) and never regenerates them', async () => {
    const { kpak, Z } = seen.domain!.publicKeys();
    const stored = (await seen.keys!.get(uri, dec))!;
    expect(stored.owner).toBe('consumer:a');
    expect(validateSsk(kpak, stored.identity, stored.ssk, stored.pvt)).toBe(true);
    expect(validateRsk(Z, stored.identity, stored.rsk)).toBe(true);
    expect(await seen.keys!.periods(uri)).toEqual(['2026-12', '2027-01']);

    // Asking again issues only the missing month; the stored ones stay as they are.
    const more = await seen.keys!.issue([{ uri, owner: 'consumer:a' }], [dec, jan, jan.next()]);
    expect(more.map((s) => s.period)).toEqual(['2027-02']);
    await expect(seen.keys!.atomically([], (w) => w.put([{ ...more[0]!, period: '2026-12' }]))).rejects.toMatchObject({ code: 'E_KEYS_EXIST' });
    expect((await seen.keys!.get(uri, dec))!.ssk).toEqual(stored.ssk);
    // Another owner cannot take keys of a URI that has them.
    await expect(seen.keys!.issue([{ uri, owner: 'consumer:b' }], [dec])).rejects.toMatchObject({ code: 'E_KEYS_EXIST' });
  });

  it('writes keys and the caller’s records together, or neither when the write fails', async () => {
    const store = seen.store;
    const sets = await seen.keys!.issue([{ uri: telUri('+46700000002'), owner: 'consumer:c' }], [dec]);
    const failing = seen.keys!.atomically([{ name: 'consumer', store }], async (w) => {
      await w.put(sets);
      await store.insert({ _id: 'c', note: 'with keys' });
      throw new Error('disk on fire');
    });
    await expect(failing).rejects.toThrow('disk on fire');
    expect(await seen.keys!.periods(telUri('+46700000002'))).toEqual([]);
    expect(await store.count({})).toBe(0);
    expect(fs.readdirSync(t.dataDir).filter((f) => /journal|rollback/.test(f))).toEqual([]);

    await seen.keys!.atomically([{ name: 'consumer', store }], async (w) => {
      await w.put(sets);
      await store.insert({ _id: 'c', note: 'with keys' });
    });
    expect(await seen.keys!.periods(telUri('+46700000002'))).toEqual(['2026-12']);
    expect(await store.count({})).toBe(1);

    expect(await seen.keys!.atomically([], (w) => w.removeOwners(['consumer:c']))).toBe(1);
    expect(await seen.keys!.periods(telUri('+46700000002'))).toEqual([]);
  });

  it('issues channel identities and refuses URIs of neither form, naming the field', async () => {
    const channel = `keyward:channel:${'ab'.repeat(16)}`;
    const [set] = await seen.keys!.issue([{ uri: channel, owner: 'consumer:ch' }], [dec]);
    expect(parseIdentity(set!.identity)).toMatchObject({ kind: 'channel', uri: channel });
    for (const bad of ['tel:46706764287', 'mailto:a@b', `keyward:channel:${'AB'.repeat(16)}`]) {
      await expect(seen.keys!.issue([{ uri: bad, owner: 'x' }], [dec]), bad).rejects.toMatchObject({ code: 'E_INVALID_FIELD', details: { field: 'uri' } });
    }
  });
});

describe('keys.export', () => {
  const exec = (args: unknown) => t.kernel.commands.execute('keys.export', args as never, { actor: 'test' });

  it('re-checks the passphrase, returns the hex key set and records uri and period only', async () => {
    const out = (await exec({ uri, period: '2026-12', passphrase: t.passphrase })) as Record<string, string>;
    expect(Object.keys(out).sort()).toEqual(['identity', 'pvt', 'rsk', 'ssk']);
    expect(Buffer.from(out.identity!, 'hex').toString('latin1')).toBe('2026-12\0tel:+46706764287\0');
    expect(out.pvt).toMatch(/^04[0-9a-f]{128}$/);
    expect(out.rsk).toMatch(/^04[0-9a-f]{512}$/);
    expect(out.ssk).toMatch(/^[0-9a-f]{64}$/);
    const { kpak, Z } = seen.domain!.publicKeys();
    const id = hexToBytes(out.identity!);
    expect(validateSsk(kpak, id, hexToBytes(out.ssk!), hexToBytes(out.pvt!))).toBe(true);
    expect(validateRsk(Z, id, hexToBytes(out.rsk!))).toBe(true);
    const stored = (await seen.keys!.get(uri, dec)) as KeySetRecord;
    expect(out.ssk).toBe(bytesToHex(stored.ssk));

    const { records } = (await t.kernel.commands.execute('log.list', { action: 'keys.export' })) as unknown as { records: EventRecord[] };
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ actor: 'test', target: uri, details: { period: '2026-12' } });
    for (const secret of [out.ssk!, out.rsk!, t.passphrase]) expect(JSON.stringify(records)).not.toContain(secret);
  });

  it('refuses a wrong passphrase, an unknown month or URI and a malformed period, recording nothing', async () => {
    const before = ((await t.kernel.commands.execute('log.list', { action: 'keys.export' })) as { total: number }).total;
    await expect(exec({ uri, period: '2026-12', passphrase: 'wrong horse' })).rejects.toMatchObject({ code: 'E_WRONG_PASSPHRASE' });
    await expect(exec({ uri, period: '2031-01', passphrase: t.passphrase })).rejects.toMatchObject({
      code: 'E_NO_KEYS',
      message: 'tel:+46706764287 has no keys for 2031-01',
    });
    await expect(exec({ uri: 'tel:+1', period: '2026-12', passphrase: t.passphrase })).rejects.toMatchObject({ code: 'E_NO_KEYS' });
    await expect(exec({ uri, period: '2026-13', passphrase: t.passphrase })).rejects.toMatchObject({ details: { field: 'period' } });
    await expect(exec({ uri: '+46706764287', period: '2026-12', passphrase: t.passphrase })).rejects.toMatchObject({ details: { field: 'uri' } });
    await expect(exec({ uri, period: '2026-12' })).rejects.toMatchObject({ details: { field: 'passphrase' } });
    expect(((await t.kernel.commands.execute('log.list', { action: 'keys.export' })) as { total: number }).total).toBe(before);
  });
});
