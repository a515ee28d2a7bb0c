import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE, Kernel, createTestKernel, type DeploymentConfig, type EventRecord } from '../../src/kernel/index.js';
import { CHANNEL_CLIENT_VERSIONS } from '../channels/tokens.js';
import { builtinPlugins } from '../index.js';
import type { FeaturesResult, SettingsView } from './commands.js';
import { COMPATIBILITY, blockedBySwitching, formatBlocked, formatSupported } from './tokens.js';

const DAY = 86_400;
const HOUR = 3600;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(config?: DeploymentConfig) {
  const t = await createTestKernel({ plugins: builtinPlugins, config });
  cleanups.push(t.cleanup);
  const exec = <R,>(id: string, args?: unknown) => t.kernel.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;
  return { ...t, exec, get: () => exec<SettingsView>('settings.get') };
}

async function audit(kernel: Kernel): Promise<EventRecord[]> {
  return ((await kernel.commands.execute('log.list', { action: 'settings.setFeatures', limit: 100 })) as unknown as { records: EventRecord[] }).records;
}

describe('settings.setFeatures', () => {
  it('takes the manual’s example (30 days maximum, 12 hours default) after confirming the clients it blocks', async () => {
    const { exec, get, kernel } = await start();
    const example = { messageLifetime: { maxSeconds: 30 * DAY, defaultSeconds: 12 * HOUR } };

    const refused = exec('settings.setFeatures', example);
    await expect(refused).rejects.toMatchObject({
      code: 'E_CONFIRM',
      details: { blocked: { messageLifetime: ['CCA-i <3.18.0', 'CCA-a <3.19.0', 'CCA-w <3.6.0', 'CIG <2.5.0'] } },
    });
    await expect(refused).rejects.toThrow(/Message lifetime blocks CCA-i <3\.18\.0, CCA-a <3\.19\.0, CCA-w <3\.6\.0, CIG <2\.5\.0/);
    expect((await get()).features.messageLifetime).toBeNull();

    const done = await exec<FeaturesResult>('settings.setFeatures', { ...example, confirmBlocking: true });
    expect(done.features.messageLifetime).toEqual({ maxSeconds: 2_592_000, defaultSeconds: 43_200 });
    expect(done.changed).toEqual({ messageLifetime: { maxSeconds: 2_592_000, defaultSeconds: 43_200 } });
    // Already on: a new maximum blocks nobody new, so it needs no confirmation.
    const shorter = await exec<FeaturesResult>('settings.setFeatures', { messageLifetime: { maxSeconds: 7 * DAY, defaultSeconds: 12 * HOUR } });
    expect(shorter.blocked).toEqual({});
    expect((await get()).features.messageLifetime).toEqual({ maxSeconds: 7 * DAY, defaultSeconds: 12 * HOUR });

    const [latest, first] = await audit(kernel);
    expect(first!.details).toEqual({
      changed: { messageLifetime: { maxSeconds: 2_592_000, defaultSeconds: 43_200 } },
      blocked: { messageLifetime: ['CCA-i <3.18.0', 'CCA-a <3.19.0', 'CCA-w <3.6.0', 'CIG <2.5.0'] },
    });
    expect(latest!.details).toEqual({ changed: { messageLifetime: { maxSeconds: 7 * DAY, defaultSeconds: 12 * HOUR } } });
  });

  it('accepts the bounds: 1 hour and 365 days, a default equal to the maximum', async () => {
    const { exec } = await start();
    const set = (maxSeconds: number, defaultSeconds: number) =>
      exec<FeaturesResult>('settings.setFeatures', { messageLifetime: { maxSeconds, defaultSeconds }, confirmBlocking: true });
    expect((await set(HOUR, HOUR)).features.messageLifetime).toEqual({ maxSeconds: HOUR, defaultSeconds: HOUR });
    expect((await set(365 * DAY, 365 * DAY)).features.messageLifetime).toEqual({ maxSeconds: 31_536_000, defaultSeconds: 31_536_000 });
    expect((await exec<FeaturesResult>('settings.setFeatures', { messageLifetime: null })).features.messageLifetime).toBeNull();
  });

  it('refuses every bad value with E_INVALID_ARGS naming the field, and changes nothing', async () => {
    const { exec, get } = await start();
    const before = await get();
    const lifetime = (maxSeconds: unknown, defaultSeconds: unknown) => ({ messageLifetime: { maxSeconds, defaultSeconds }, confirmBlocking: true });
    const cases: [unknown, string, RegExp][] = [
      [lifetime(HOUR - 1, HOUR - 1), 'messageLifetime.maxSeconds', /from 3600 \(1 hour\) to 31536000 \(365 days\)/],
      [lifetime(365 * DAY + 1, HOUR), 'messageLifetime.maxSeconds', /to 31536000 \(365 days\)/],
      [lifetime(HOUR + 0.5, HOUR), 'messageLifetime.maxSeconds', /whole number of seconds/],
      [lifetime('30d', HOUR), 'messageLifetime.maxSeconds', /whole number/],
      [lifetime(undefined, HOUR), 'messageLifetime.maxSeconds', /whole number/],
      [lifetime(30 * DAY, 31 * DAY), 'messageLifetime.defaultSeconds', /up to the maximum, 2592000 \(30 days\)/],
      [lifetime(30 * DAY, HOUR - 1), 'messageLifetime.defaultSeconds', /from 3600 \(1 hour\)/],
      [lifetime(30 * DAY, 1.5), 'messageLifetime.defaultSeconds', /whole number/],
      [{ messageLifetime: { maxSeconds: DAY }, confirmBlocking: true }, 'messageLifetime.defaultSeconds', /whole number/],
      [{ messageLifetime: { maxSeconds: DAY, defaultSeconds: HOUR, minSeconds: 60 }, confirmBlocking: true }, 'messageLifetime.minSeconds', /is not part/],
      [{ messageLifetime: 'off' }, 'messageLifetime', /null \(off\) or an object/],
      [{ messageLifetime: [DAY, HOUR] }, 'messageLifetime', /null \(off\) or an object/],
      [{ authorisedIntercept: 'yes' }, 'authorisedIntercept', /true or false/],
      [{ multipath: 1 }, 'multipath', /true or false/],
      [{ channels: null }, 'channels', /true or false/],
      [{ qrProtection: 'on' }, 'qrProtection', /true or false/],
      [{ multipath: true, confirmBlocking: 'yes' }, 'confirmBlocking', /true or false/],
      [{ messageLifetimeMax: DAY }, 'messageLifetimeMax', /is not a domain setting/],
      [{}, 'settings', /at least one of messageLifetime, authorisedIntercept/],
      [{ confirmBlocking: true }, 'settings', /at least one/],
    ];
    for (const [args, field, message] of cases) {
      const run = exec('settings.setFeatures', args);
      await expect(run, JSON.stringify(args)).rejects.toMatchObject({ code: 'E_INVALID_ARGS', details: { field } });
      await expect(run).rejects.toThrow(message);
      await expect(run).rejects.toThrow(new RegExp(`^${field.replace('.', '\\.')}: `));
    }
    await expect(exec('settings.setFeatures', 'on')).rejects.toMatchObject({ code: 'E_INVALID_ARGS' });
    // A bad field next to a good one stores neither.
    await expect(exec('settings.setFeatures', { multipath: true, channels: 'off' })).rejects.toMatchObject({ details: { field: 'channels' } });
    expect(await get()).toEqual(before);
  });

  it('asks before authorised intercept, naming the blocked versions; multipath and channels block nobody', async () => {
    const { exec, get, kernel } = await start();
    const refused = exec('settings.setFeatures', { authorisedIntercept: true, multipath: true });
    await expect(refused).rejects.toMatchObject({
      code: 'E_CONFIRM',
      details: { blocked: { authorisedIntercept: ['CCA-i <3.19.0', 'CCA-a <3.20.0', 'CCA-w <3.7.0', 'CIG <2.8.0'] } },
    });
    await expect(refused).rejects.toThrow(
      'switching on Authorized intercept with minimal key exposure blocks CCA-i <3.19.0, CCA-a <3.20.0, CCA-w <3.7.0, CIG <2.8.0 from using any part of the system',
    );
    expect((await get()).features).toMatchObject({ authorisedIntercept: false, multipath: false });

    expect((await exec<FeaturesResult>('settings.setFeatures', { multipath: true })).changed).toEqual({ multipath: true });
    expect((await exec<FeaturesResult>('settings.setFeatures', { channels: false })).changed).toEqual({ channels: false });
    expect((await exec<FeaturesResult>('settings.setFeatures', { channels: true })).blocked).toEqual({}); // members only: no confirmation
    const on = await exec<FeaturesResult>('settings.setFeatures', { authorisedIntercept: true, confirmBlocking: true });
    expect(on.features).toMatchObject({ authorisedIntercept: true, multipath: true, channels: true });
    // Off, then on again: the question comes again.
    await exec('settings.setFeatures', { authorisedIntercept: false });
    await expect(exec('settings.setFeatures', { authorisedIntercept: true })).rejects.toMatchObject({ code: 'E_CONFIRM' });
    // Setting what is set changes nothing and asks nothing.
    expect((await exec<FeaturesResult>('settings.setFeatures', { multipath: true })).changed).toEqual({});

    expect((await audit(kernel)).map((r) => r.details)).toEqual([
      { changed: {} },
      { changed: { authorisedIntercept: false } },
      { changed: { authorisedIntercept: true }, blocked: { authorisedIntercept: ['CCA-i <3.19.0', 'CCA-a <3.20.0', 'CCA-w <3.7.0', 'CIG <2.8.0'] } },
      { changed: { channels: true } },
      { changed: { channels: false } },
      { changed: { multipath: true } },
    ]);
  });

  it('keeps the switches across a restart, encrypted at rest', async () => {
    const { exec, kernel, dataDir, passphrase } = await start();
    await exec('settings.setFeatures', {
      messageLifetime: { maxSeconds: 30 * DAY, defaultSeconds: 12 * HOUR },
      authorisedIntercept: true,
      multipath: true,
      channels: false,
      qrProtection: true,
      confirmBlocking: true,
    });
    expect(fs.readFileSync(path.join(dataDir, 'settings.db'), 'utf8')).not.toMatch(/2592000|authorisedIntercept|multipath/);
    await kernel.stop();
    const reopened = await Kernel.create({ dataDir, plugins: builtinPlugins });
    await reopened.commands.execute('kernel.unlock', { passphrase });
    expect(await reopened.commands.execute('settings.get')).toMatchObject({
      features: { messageLifetime: { maxSeconds: 2_592_000, defaultSeconds: 43_200 }, authorisedIntercept: true, multipath: true, channels: false, qrProtection: true },
      qrProtectionSet: true,
    });
    await reopened.stop();
  });

  it('QR protection follows the deployment flag until set in Settings, then the domain’s value holds', async () => {
    const { exec, get, kernel, dataDir, passphrase } = await start({ flags: { 'letters.qrEncryption': true } });
    await exec('users.add', { firstName: 'Ann', lastName: 'A', mobile: '+46701111111' });
    const qrKey = async (k = kernel) => ((await k.commands.execute('users.show', { mobile: '+46701111111' })) as { qrCodeKey?: string }).qrCodeKey;

    expect(await get()).toMatchObject({ features: { qrProtection: true }, qrProtectionSet: false });
    expect(await qrKey()).toMatch(/^[0-9a-f]{32}$/); // users read it from Settings

    // Setting it to what the flag gives still fixes it: the audit says so.
    expect((await exec<FeaturesResult>('settings.setFeatures', { qrProtection: true })).changed).toEqual({ qrProtection: true });
    const off = await exec<FeaturesResult>('settings.setFeatures', { qrProtection: false });
    expect(off).toMatchObject({ changed: { qrProtection: false }, qrProtectionSet: true });
    expect(await qrKey()).toBeUndefined();

    // Restart with the flag still on: the domain's value holds.
    await kernel.stop();
    const reopened = await Kernel.create({ dataDir, plugins: builtinPlugins });
    await reopened.commands.execute('kernel.unlock', { passphrase });
    expect(fs.readFileSync(path.join(dataDir, CONFIG_FILE), 'utf8')).toContain('"letters.qrEncryption":true');
    expect(await reopened.commands.execute('settings.get')).toMatchObject({ features: { qrProtection: false }, qrProtectionSet: true });
    expect(await qrKey(reopened)).toBeUndefined();
    await reopened.stop();
  });

  it('an unset QR protection changes with the flag (no value is fixed by other changes)', async () => {
    const { exec, kernel, dataDir, passphrase } = await start();
    await exec('settings.setFeatures', { multipath: true });
    await kernel.stop();
    fs.writeFileSync(path.join(dataDir, CONFIG_FILE), JSON.stringify({ flags: { 'letters.qrEncryption': true } }));
    const reopened = await Kernel.create({ dataDir, plugins: builtinPlugins });
    await reopened.commands.execute('kernel.unlock', { passphrase });
    expect(await reopened.commands.execute('settings.get')).toMatchObject({ features: { qrProtection: true, multipath: true }, qrProtectionSet: false });
    await reopened.stop();
  });
});

describe('the compatibility table', () => {
  it('is the manual’s Summary, row by row', () => {
    const rows = COMPATIBILITY.map((r) => [
      r.label,
      ...(['CCA-i', 'CCA-a', 'CCA-w', 'CIG'] as const).map((c) => formatSupported(r.supported[c])),
      ...(['CCA-i', 'CCA-a', 'CCA-w', 'CIG'] as const).map((c) => formatBlocked(r.blocked[c])),
    ]);
    expect(rows).toEqual([
      ['Message lifetime', '≥3.18.0', '≥3.19.0', '≥3.6.0', '≥2.5.0', '<3.18.0', '<3.19.0', '<3.6.0', '<2.5.0'],
      ['Authorized intercept with minimal key exposure', '≥3.22.0', '≥3.23.0', '≥3.7.0', '≥2.8.0', '<3.19.0', '<3.20.0', '<3.7.0', '<2.8.0'],
      ['Multipath networking', '≥3.20.0', '≥3.21.0', '≥3.6.0', 'N/A', 'None', 'None', 'None', 'None'],
      ['Channels (per client)', '≥3.22.0', '≥3.23.0', '≥3.7.0', 'None', '<3.22.0', '<3.22.0', '<3.7.0', 'All'],
    ]);
    expect(blockedBySwitching('multipath')).toEqual([]);
    expect(blockedBySwitching('channels')).toEqual([]);
  });

  it('gives the channels plugin its member rule (one table)', () => {
    expect(CHANNEL_CLIENT_VERSIONS).toEqual({ 'CCA-i': '3.22.0', 'CCA-a': '3.23.0', 'CCA-w': '3.7.0', CRS: '4.14.0' });
  });
});
