/**
 * `keyward settings …`: the Settings menu on the command line, over the settings plugin's commands
 * (plugins/settings/commands.ts). Switching on a feature that blocks client versions, and changing
 * the CRS (manual: "CRS migration"), are confirmed with --yes or at the terminal.
 */
import type { JsonObject, JsonValue } from '../kernel/index.js';
import type { FeaturesResult, SettingsView } from '../../plugins/settings/commands.js';
import type { CompatibilityFeature } from '../../plugins/settings/compatibility.js';
import { CRS_MIGRATION_WARNING } from '../../plugins/settings/crs-migration.js';
import { describeBlocked } from '../../plugins/settings/features.js';
import { formatDuration, parseDuration } from '../../plugins/settings/lifetime.js';
import { validateAddress, validateId, validateSecret } from '../../plugins/settings/validate.js';
import type { CrsChange, DomainFeatures } from '../../plugins/settings/tokens.js';
import { optionValue, type ParsedArgs } from './args.js';
import type { CliCommand } from './commands.js';
import { CommandError, UsageError } from './errors.js';
import { readSecretFile } from './passphrase.js';
import { confirm, interactive } from './prompt.js';
import type { Session } from './session.js';

const json = (v: unknown) => v as JsonValue;
const onOff = (on: boolean) => (on ? 'on' : 'off');

/** The on/off switches of `settings set`: option → DomainFeatures field. */
const SWITCH_OPTIONS = { intercept: 'authorisedIntercept', multipath: 'multipath', channels: 'channels', 'qr-protection': 'qrProtection' } as const;

function onOffOption(args: ParsedArgs, name: string, words: string[]): boolean | undefined {
  const v = optionValue(args, name);
  if (v === undefined) return undefined;
  if (v !== 'on' && v !== 'off') throw new UsageError(`--${name} must be on or off, not "${v}"`, words);
  return v === 'on';
}

function durationOption(args: ParsedArgs, name: string, words: string[]): number | undefined {
  const v = optionValue(args, name);
  if (v === undefined) return undefined;
  const seconds = parseDuration(v);
  if (seconds === undefined) throw new UsageError(`--${name} must be a duration such as 30d, 12h, 90m or 3600s, not "${v}"`, words);
  return seconds;
}

/** The `settings.setFeatures` arguments a `settings set` line asks for (partial lifetimes completed from `current`). */
function featuresPatch(args: ParsedArgs, current: DomainFeatures, words: string[]): JsonObject {
  const patch: JsonObject = {};
  const lifetime = optionValue(args, 'message-lifetime');
  const max = durationOption(args, 'message-lifetime-max', words);
  const def = durationOption(args, 'message-lifetime-default', words);
  if (lifetime !== undefined) {
    if (lifetime !== 'off') {
      throw new UsageError(`--message-lifetime takes only "off"; set a lifetime with --message-lifetime-max and --message-lifetime-default`, words);
    }
    if (max !== undefined || def !== undefined) throw new UsageError('--message-lifetime off cannot go with --message-lifetime-max or -default', words);
    patch.messageLifetime = null;
  } else if (max !== undefined || def !== undefined) {
    const now = current.messageLifetime;
    if (max === undefined && !now) {
      throw new UsageError('message lifetime is off: give --message-lifetime-max too (the default alone has no maximum to stay under)', words);
    }
    // A maximum alone keeps the current default, or, switching the lifetime on, defaults to the maximum (what clients without a default apply).
    patch.messageLifetime = { maxSeconds: max ?? now!.maxSeconds, defaultSeconds: def ?? now?.defaultSeconds ?? max! };
  }
  for (const [option, field] of Object.entries(SWITCH_OPTIONS)) {
    const v = onOffOption(args, option, words);
    if (v !== undefined) patch[field] = v;
  }
  if (!Object.keys(patch).length) {
    throw new UsageError('keyward settings set needs at least one setting, e.g. --message-lifetime-max 30d --message-lifetime-default 12h', words);
  }
  return patch;
}

/**
 * Ask before going ahead: with --yes nothing is asked; at a terminal the question is put;
 * otherwise `E_CONFIRM` says what would happen and that nothing was changed.
 */
async function confirmed(session: Session, what: string): Promise<void> {
  if (session.opts.yes) return;
  if (!interactive(session.io)) throw new CommandError('E_CONFIRM', `${what}; nothing was changed: add --yes to confirm`);
  if (!(await confirm(`${what}. Go ahead?`, session.io))) throw new CommandError('E_CANCELLED', 'not confirmed; nothing was changed');
}

function lifetimeText(f: DomainFeatures): string {
  const l = f.messageLifetime;
  return l ? `maximum ${formatDuration(l.maxSeconds)}, default ${formatDuration(l.defaultSeconds)}` : 'off';
}

function historyLine(h: CrsChange): string {
  return `  ${h.time}  ${h.kind.padEnd(6)}  ${h.address}  ${h.account}${h.secretReplaced ? '  (new shared secret)' : ''}`;
}

function showText(s: SettingsView, osLog: boolean): string {
  const f = s.features;
  return [
    `CRS address: ${s.crs?.address ?? '(not set)'}`,
    `CRS account: ${s.crs?.account ?? '(not set)'}`,
    `CRS shared secret: ${s.crs?.secretSet ? 'set (hidden; shown in the Settings view on Reveal)' : 'not set'}`,
    `Message lifetime: ${lifetimeText(f)}`,
    `Authorised intercept (minimal key exposure): ${onOff(f.authorisedIntercept)}`,
    `Multipath networking: ${onOff(f.multipath)}`,
    `Channels: ${onOff(f.channels)}`,
    `QR protection: ${onOff(f.qrProtection)}${s.qrProtectionSet ? '' : ' (deployment default, flag letters.qrEncryption)'}`,
    `Log to the OS event log: ${onOff(osLog)}`,
    'CRS history (oldest first):',
    ...(s.crsHistory.length ? s.crsHistory.map(historyLine) : ['  (none recorded)']),
  ].join('\n');
}

export const SETTINGS_COMMANDS: CliCommand[] = [
  {
    words: ['settings', 'show'],
    summary: 'Show the domain settings: CRS (never the shared secret) and its change history, the feature switches, the OS log setting',
    options: [],
    async run(session) {
      const s = await session.execute<SettingsView>('settings.get');
      const osLog = await session.execute<{ on: boolean }>('log.osSink');
      return { result: json({ ...s, osLog: osLog.on }), text: showText(s, osLog.on) };
    },
  },
  {
    words: ['settings', 'set'],
    usage:
      '[--message-lifetime-max 30d --message-lifetime-default 12h | --message-lifetime off] [--intercept on|off] [--multipath on|off] ' +
      '[--channels on|off] [--qr-protection on|off] [--yes]',
    summary: 'Change the domain feature switches; switching on one that blocks client versions names them and asks (--yes)',
    options: ['message-lifetime', 'message-lifetime-max', 'message-lifetime-default', ...Object.keys(SWITCH_OPTIONS)],
    async run(session, args) {
      const words = ['settings', 'set'];
      const current = await session.execute<SettingsView>('settings.get');
      const patch = featuresPatch(args, current.features, words);
      let r: FeaturesResult;
      try {
        r = await session.execute<FeaturesResult>('settings.setFeatures', { ...patch, confirmBlocking: session.opts.yes });
      } catch (err) {
        if (!(err instanceof CommandError) || err.code !== 'E_CONFIRM') throw err;
        const blocked = (err.details as { blocked: Partial<Record<CompatibilityFeature, string[]>> }).blocked;
        await confirmed(session, describeBlocked(blocked));
        r = await session.execute<FeaturesResult>('settings.setFeatures', { ...patch, confirmBlocking: true });
      }
      const changed = Object.keys(r.changed);
      const text = changed.length
        ? `Changed ${changed.join(', ')}. Devices receive the settings with the next monthly update.`
        : 'Nothing changed: the settings were already so.';
      return { result: json(r), text };
    },
  },
  {
    words: ['settings', 'crs'],
    usage: '[--address HOST] [--account ID] [--secret-file F] [--yes]',
    summary: 'Change the CRS (migration): address, Account ID, shared secret from a file; says the manual’s warning and asks (--yes)',
    options: ['address', 'account', 'secret-file'],
    async run(session, args) {
      const words = ['settings', 'crs'];
      const address = optionValue(args, 'address');
      const account = optionValue(args, 'account');
      const secretFile = optionValue(args, 'secret-file');
      if (address === undefined && account === undefined && secretFile === undefined) {
        throw new UsageError('keyward settings crs needs --address, --account or --secret-file', words);
      }
      const secret = secretFile === undefined ? undefined : readSecretFile(secretFile, 'secret-file');
      const current = (await session.execute<SettingsView>('settings.get')).crs;
      // Checked before the question, so a typing mistake is reported rather than asked about.
      const next: JsonObject = {
        address: validateAddress(address ?? current?.address, 'crs.address'),
        account: validateId(account ?? current?.account, 'crs.account'),
      };
      if (secret !== undefined) next.secret = validateSecret(secret, 'crs.secret');
      await confirmed(session, `Changing the CRS to ${next.address} (account ${next.account}): ${CRS_MIGRATION_WARNING}`);
      const r = await session.execute<JsonObject>('settings.setCrs', next);
      const text = `The CRS is now ${r.address} (account ${r.account}). ${CRS_MIGRATION_WARNING} The next monthly update moves the devices.`;
      return { result: r, text };
    },
  },
];
