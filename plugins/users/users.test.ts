import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernel, createTestKernel, definePlugin, type EventRecord, type TestKernel } from '../../src/kernel/index.js';
import { Period, hexToBytes, parseIdentity, validateRsk, validateSsk } from '../../src/crypto/index.js';
import { builtinPlugins } from '../index.js';
import { IDomain } from '../domain/tokens.js';
import { IKeys, telUri } from '../keys/tokens.js';
import { derivePuk } from './puk.js';
import { IUsers, NumbersInUseHook, UserDetailsHook, UserLimitHook, type UserDetails, type UserSummary } from './tokens.js';

/** Hands the services to the test as a consumer plugin gets them. */
function probe() {
  const seen: { keys?: IKeys; users?: IUsers; domain?: IDomain } = {};
  const plugin = definePlugin({
    id: 'probe',
    requires: { keys: IKeys, users: IUsers, domain: IDomain },
    activate(_ctx, deps) {
      Object.assign(seen, deps);
    },
  });
  return { plugin, seen };
}

/** The user limit the stand-in licence plugin answers with. */
let userLimit: number | null = null;

/** Stands in for the gateways plugin (a number in use elsewhere) and the licence plugin (a user limit). */
const gatewaysAndLicence = definePlugin({
  id: 'fakegw',
  activate(ctx) {
    ctx.hooks.on(NumbersInUseHook, (p) => {
      for (const n of p.numbers) if (n === '+8888') p.inUse.push({ number: n, by: 'gateway Exchange' });
    });
    ctx.hooks.on(UserLimitHook, (p) => void (p.limit = userLimit));
    // As the channels plugin will: add the user's channels to the details.
    ctx.hooks.on(UserDetailsHook, (p) => void (p.details.mobile === '+44777666555' && (p.details.channels = [{ id: 'c1', name: 'Ops' }])));
  },
});

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');

let t: TestKernel;
let seen: ReturnType<typeof probe>['seen'];
const exec = <R = unknown>(id: string, args?: unknown) => t.kernel.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;
const now = Period.of(new Date());

async function logOf(action: string): Promise<EventRecord[]> {
  return (await exec<{ records: EventRecord[] }>('log.list', { action, limit: 1000 })).records;
}

beforeAll(async () => {
  const p = probe();
  seen = p.seen;
  t = await createTestKernel({
    plugins: [...builtinPlugins, p.plugin, gatewaysAndLicence],
    // The letters plugin declares the flag (default off); on here, so users.show reveals the QR code key.
    config: { flags: { 'letters.qrEncryption': true } },
  });
});
afterAll(() => t?.cleanup());

describe('users.add', () => {
  it('stores the user with checked keys for this month and the next, a PUK and a QR code key', async () => {
    const added = await exec<UserSummary>('users.add', { firstName: ' John ', lastName: 'Doe', mobile: '+44 777-666 555', comment: 'Project Alpha' });
    expect(added).toEqual({
      mobile: '+44777666555',
      firstName: 'John',
      lastName: 'Doe',
      comment: 'Project Alpha',
      lines: [],
      compromised: false,
      generation: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const details = await exec<UserDetails>('users.show', { mobile: '+44777666555' });
    expect(details.keyPeriods).toEqual([now.toString(), now.next().toString()]);
    expect(details.period).toBe(now.toString());
    expect(details.puk).toMatch(/^\d{8}$/);
    expect(details.qrCodeKey).toMatch(/^[0-9a-f]{32}$/);
    expect(details.channels).toEqual([{ id: 'c1', name: 'Ops' }]);
    const record = seen.users!.get('+44777666555')!;
    expect(details.puk).toBe(derivePuk(record.updateKey, now));
    expect(record.updateKey).toHaveLength(16);

    const { kpak, Z } = seen.domain!.publicKeys();
    for (const period of [now, now.next()]) {
      const set = (await seen.keys!.get(telUri('+44777666555'), period))!;
      expect(parseIdentity(set.identity)).toMatchObject({ kind: 'tel', number: '+44777666555' });
      expect(parseIdentity(set.identity).period.toString()).toBe(period.toString());
      expect(validateSsk(kpak, set.identity, set.ssk, set.pvt)).toBe(true);
      expect(validateRsk(Z, set.identity, set.rsk)).toBe(true);
    }
    const [entry] = await logOf('users.add');
    expect(entry).toMatchObject({ actor: 'test', target: '+44777666555' });
  });

  it('accepts private numbering plans and refuses bad fields, naming each', async () => {
    expect((await exec<UserSummary>('users.add', { firstName: 'Bob', lastName: '', mobile: '+8887' })).mobile).toBe('+8887');
    const cases: [Record<string, unknown>, string][] = [
      [{ firstName: 'A"b', mobile: '+46700000001' }, 'firstName'],
      [{ firstName: 'Ann', lastName: "O'Neil", mobile: '+46700000001' }, 'lastName'],
      [{ firstName: 'Ann', comment: 'a;b', mobile: '+46700000001' }, 'comment'],
      [{ firstName: 'Ann', comment: 'a,b', mobile: '+46700000001' }, 'comment'],
      [{ firstName: 'A\tb', mobile: '+46700000001' }, 'firstName'],
      [{ firstName: '', lastName: ' ', mobile: '+46700000001' }, 'firstName'],
      [{ firstName: 'Ann', mobile: '0046700000001' }, 'mobile'],
      [{ firstName: 'Ann', mobile: '+0046700000001' }, 'mobile'],
      [{ firstName: 'Ann', mobile: '+4670000000100000' }, 'mobile'],
      [{ firstName: 'Ann', mobile: '+46 70x' }, 'mobile'],
      [{ firstName: 'Ann' }, 'mobile'],
    ];
    for (const [args, field] of cases) {
      await expect(exec('users.add', args), JSON.stringify(args)).rejects.toMatchObject({
        code: 'E_INVALID_FIELD',
        message: expect.stringMatching(new RegExp(`^${field}: `)),
        details: { field },
      });
    }
  });

  it('refuses a number in use by a user (however it is typed) or by another plugin', async () => {
    await expect(exec('users.add', { firstName: 'X', mobile: '+44-777-666-555' })).rejects.toMatchObject({
      code: 'E_NUMBER_IN_USE',
      message: 'mobile: +44777666555 is already in use by user +44777666555',
      details: { field: 'mobile' },
    });
    await expect(exec('users.add', { firstName: 'X', mobile: '+8888' })).rejects.toMatchObject({
      code: 'E_NUMBER_IN_USE',
      message: expect.stringContaining('gateway Exchange'),
    });
  });
});

describe('users.update, addLine, removeLine', () => {
  it('changes names and comment, refusing forbidden characters', async () => {
    const u = await exec<UserSummary>('users.update', { mobile: '+8887', lastName: 'Builder', comment: 'site 2' });
    expect(u).toMatchObject({ firstName: 'Bob', lastName: 'Builder', comment: 'site 2' });
    await expect(exec('users.update', { mobile: '+8887', comment: "it's" })).rejects.toMatchObject({ details: { field: 'comment' } });
    await expect(exec('users.update', { mobile: '+1999', comment: 'x' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect((await logOf('users.update'))[0]).toMatchObject({ target: '+8887', details: { fields: ['lastName', 'comment'] } });
  });

  it('gives a line its own monthly keys, keeps its number taken, and frees it on removal', async () => {
    const u = await exec<UserSummary>('users.addLine', { mobile: '+8887', line: '+46 8 123 456' });
    expect(u.lines).toEqual(['+468123456']);
    expect(await seen.keys!.periods(telUri('+468123456'))).toEqual([now.toString(), now.next().toString()]);
    await expect(exec('users.add', { firstName: 'Y', mobile: '+468123456' })).rejects.toMatchObject({
      code: 'E_NUMBER_IN_USE',
      message: expect.stringContaining('a line of user +8887'),
    });
    await expect(exec('users.addLine', { mobile: '+8887', line: '+44777666555' })).rejects.toMatchObject({ code: 'E_NUMBER_IN_USE', details: { field: 'line' } });
    await expect(exec('users.addLine', { mobile: '+8887', line: '123' })).rejects.toMatchObject({ code: 'E_INVALID_FIELD', details: { field: 'line' } });

    expect((await exec<UserSummary>('users.removeLine', { mobile: '+8887', line: '+468123456' })).lines).toEqual([]);
    expect(await seen.keys!.periods(telUri('+468123456'))).toEqual([]);
    await expect(exec('users.removeLine', { mobile: '+8887', line: '+468123456' })).rejects.toMatchObject({ code: 'E_NOT_FOUND', details: { field: 'line' } });
  });
});

describe('users.import and users.validateImport', () => {
  it('reports every bad line with number, column and reason, and writes nothing', async () => {
    const before = await exec<{ users: UserSummary[] }>('users.list');
    const bytes = Buffer.concat([
      Buffer.from('Ann\tA\t+46701111111\tok\n'), // 1 good
      Buffer.from('Ben\tB\t+46701111112\n'), // 2 good: 3 columns, empty comment
      Buffer.from('Cid\tC\t0701111113\tx\n'), // 3 bad number
      Buffer.from('Dan;\tD\t+46701111114\tx\n'), // 4 forbidden character
      Buffer.from('Eve\tE\t+46701111111\tdup\n'), // 5 duplicate of line 1
      Buffer.from('Fay\tF\t+44777666555\t\n'), // 6 in use by a user
      Buffer.from('Gus\t+46701111117\n'), // 7 two columns
      Buffer.from([0x48, 0xc3, 0x28, 0x09, 0x4b, 0x09, 0x2b, 0x34, 0x36, 0x0a]), // 8 invalid UTF-8
      Buffer.from('\t\t\t\n\n'), // 9, 10: blank
    ]);
    const report = await exec<{ ok: boolean; count: number; errors: { line: number; column?: number; reason: string }[] }>(
      'users.validateImport',
      { fileName: 'staff.txt', contentBase64: b64(bytes) },
    );
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 3],
      [4, 1],
      [5, 3],
      [6, 3],
      [7, undefined],
      [8, undefined],
    ]);
    expect(report.errors[2]!.reason).toContain('also on line 1');
    expect(report.errors[3]!.reason).toContain('in use by user +44777666555');
    expect(report.errors[4]!.reason).toContain('has 2 columns');
    expect(report.errors[5]!.reason).toContain('UTF-8');

    await expect(exec('users.import', { fileName: 'staff.txt', contentBase64: b64(bytes) })).rejects.toMatchObject({
      code: 'E_IMPORT_INVALID',
      details: { errors: report.errors },
    });
    await expect(exec('users.import', { fileName: 'staff.csv', contentBase64: b64('Ann\tA\t+46701111111\t\n') })).rejects.toMatchObject({
      code: 'E_IMPORT_INVALID',
      details: { errors: [{ line: 0, reason: expect.stringContaining('.txt') }] },
    });
    expect(await exec('users.list')).toEqual(before);
    expect(await seen.keys!.periods(telUri('+46701111111'))).toEqual([]);
  });

  it('imports a good file (BOM, CRLF) as one unit with progress, keys for two months each', async () => {
    const text = '\ufeffAnn\tA\t+46701111111\tok\r\nBen\tB\t+46701111112\r\n\r\nDana\tDoe\t+44999888777\t\r\n';
    const progress: { done: number; total: number; message?: string }[] = [];
    const result = await t.kernel.commands.execute('users.import', { fileName: 'STAFF.TXT', contentBase64: b64(text) }, {
      actor: 'test',
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({ imported: 3 });
    expect(progress.some((p) => p.message === 'Generating keys' && p.done === 6 && p.total === 6)).toBe(true);
    expect(progress.at(-1)).toEqual({ done: 3, total: 3, message: 'Imported' });
    const list = await exec<{ total: number; userLimit: number | null; users: UserSummary[] }>('users.list');
    expect(list.userLimit).toBeNull();
    expect(list.users.find((u) => u.mobile === '+46701111112')).toMatchObject({ firstName: 'Ben', lastName: 'B', comment: '' });
    expect(await seen.keys!.periods(telUri('+44999888777'))).toEqual([now.toString(), now.next().toString()]);
    expect((await logOf('users.import'))[0]).toMatchObject({ target: 'STAFF.TXT', details: { imported: 3 } });
  });

  it('enforces the licence user limit on add and import with a clear message', async () => {
    userLimit = 6;
    expect(await exec('users.list')).toMatchObject({ total: 5, userLimit: 6 });
    await exec('users.add', { firstName: 'Sixth', mobile: '+46701111116' });
    await expect(exec('users.add', { firstName: 'Seventh', mobile: '+46701111117' })).rejects.toMatchObject({
      code: 'E_USER_LIMIT',
      message: expect.stringContaining('the licence allows 6 users'),
    });
    const report = await exec<{ errors: { line: number; reason: string }[] }>('users.validateImport', {
      fileName: 'more.txt',
      contentBase64: b64('Zed\tZ\t+46701111118\t\n'),
    });
    expect(report.errors).toEqual([{ line: 0, reason: expect.stringContaining('the licence allows 6 users') }]);
    await exec('users.delete', { mobiles: ['+46701111116'] });
    userLimit = null;
  });

  it('cancels during key generation and keeps nothing', async () => {
    const before = await exec('users.list');
    const controller = new AbortController();
    const rows = Array.from({ length: 40 }, (_, i) => `C${i}\tX\t+4671000${String(i).padStart(4, '0')}\t`).join('\n');
    const run = t.kernel.commands.execute('users.import', { fileName: 'c.txt', contentBase64: b64(rows) }, {
      actor: 'test',
      signal: controller.signal,
      onProgress: (p) => p.message === 'Generating keys' && p.done > 0 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(await exec('users.list')).toEqual(before);
    expect(await seen.keys!.periods(telUri('+46710000000'))).toEqual([]);
  });
});

describe('users.export', () => {
  it('exports the manual TSV without any key, and it imports back unchanged', async () => {
    const all = await exec<{ fileName: string; text: string }>('users.export', {});
    expect(all.fileName).toMatch(/^users-\d{4}-\d\d-\d\d\.txt$/);
    expect(all.text).toContain('John\tDoe\t+44777666555\tProject Alpha\n');
    expect(all.text).toContain('Bob\tBuilder\t+8887\tsite 2\n');
    const qr = (await exec<UserDetails>('users.show', { mobile: '+8887' })).qrCodeKey!;
    expect(all.text).not.toContain(qr);

    const some = await exec<{ text: string }>('users.export', { mobiles: ['+46701111112', '+44999888777'] });
    expect(some.text).toBe('Ben\tB\t+46701111112\t\nDana\tDoe\t+44999888777\t\n');
    await expect(exec('users.export', { mobiles: ['+1000'] })).rejects.toMatchObject({ code: 'E_NOT_FOUND', details: { field: 'mobiles' } });

    const strip = (u: UserSummary) => [u.mobile, u.firstName, u.lastName, u.comment];
    const before = (await exec<{ users: UserSummary[] }>('users.list')).users.map(strip).sort();
    await exec('users.delete', { mobiles: before.map((u) => u[0]) });
    expect((await exec<{ total: number }>('users.list')).total).toBe(0);
    await exec('users.import', { fileName: all.fileName, contentBase64: b64(all.text) });
    expect((await exec<{ users: UserSummary[] }>('users.list')).users.map(strip).sort()).toEqual(before);
  });
});

describe('users.destroyKeys and users.delete', () => {
  it('Destroy Keys replaces the update key (and so the PUK), marks the user compromised and logs each user', async () => {
    const before = seen.users!.get('+44777666555')!;
    const ssk = (await seen.keys!.get(telUri('+44777666555'), now))!.ssk;
    expect(await exec('users.destroyKeys', { mobiles: ['+44777666555', '+8887'] })).toEqual({ count: 2 });
    const after = seen.users!.get('+44777666555')!;
    expect(after.updateKey).not.toEqual(before.updateKey);
    expect(after.qrCodeKey).not.toEqual(before.qrCodeKey);
    const details = await exec<UserDetails>('users.show', { mobile: '+44777666555' });
    // A new credential generation: the TLS credential changes and the next update blocks the old one.
    expect(details).toMatchObject({ compromised: true, generation: before.generation + 1, compromisedAt: expect.stringMatching(/^\d{4}-/) });
    expect(details.puk).toBe(derivePuk(after.updateKey, now));
    // The month's MIKEY-SAKKE keys stay (manual: they remain compromised for months already distributed).
    expect((await seen.keys!.get(telUri('+44777666555'), now))!.ssk).toEqual(ssk);
    const records = await logOf('users.destroyKeys');
    expect(records.map((r) => r.target).sort()).toEqual(['+44777666555', '+8887']);
    expect(JSON.stringify(records)).not.toMatch(/updateKey|[0-9a-f]{32}/);
  });

  it('deletes users with their keys and lines, logs each, and frees their numbers', async () => {
    await exec('users.addLine', { mobile: '+46701111111', line: '+46701111199' });
    expect(await exec('users.delete', { mobiles: ['+46701111111'] })).toEqual({ count: 1 });
    expect(seen.users!.get('+46701111111')).toBeUndefined();
    expect(await seen.keys!.periods(telUri('+46701111111'))).toEqual([]);
    expect(await seen.keys!.periods(telUri('+46701111199'))).toEqual([]);
    expect((await logOf('users.delete'))[0]).toMatchObject({ target: '+46701111111', details: { lines: 1 } });
    await expect(exec('users.show', { mobile: '+46701111111' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect((await exec<UserSummary>('users.add', { firstName: 'Again', mobile: '+46701111199' })).mobile).toBe('+46701111199');
  });

  it('keeps everything across a restart, leaves no journal behind and no secret in clear on disk', async () => {
    const list = await exec('users.list');
    const qr = (await exec<UserDetails>('users.show', { mobile: '+8887' })).qrCodeKey!;
    const ssk = (await seen.keys!.get(telUri('+8887'), now))!.ssk;
    await t.kernel.stop();
    const files = fs.readdirSync(t.dataDir);
    expect(files.filter((f) => f.includes('journal') || f.includes('rollback'))).toEqual([]);
    const disk = files.map((f) => fs.readFileSync(path.join(t.dataDir, f), 'latin1')).join('\n');
    expect(disk).not.toContain(qr);
    expect(disk).not.toContain(Buffer.from(ssk).toString('hex'));
    expect(disk).not.toContain('+8887');

    const p = probe();
    const reopened = await Kernel.create({ dataDir: t.dataDir, plugins: [...builtinPlugins, p.plugin, gatewaysAndLicence] });
    await reopened.commands.execute('kernel.unlock', { passphrase: t.passphrase });
    expect(await reopened.commands.execute('users.list')).toEqual(list);
    expect((await p.seen.keys!.get(telUri('+8887'), now))!.ssk).toEqual(ssk);
    t.kernel = reopened;
  });
});
