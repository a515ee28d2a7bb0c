/** The settings plugin's commands (the Settings view and `keyward settings` run these). */
import type { CommandDefinition, JsonObject, JsonValue } from '../../src/kernel/index.js';
import type { CompatibilityFeature } from './compatibility.js';
import { changedFeatures, confirmationNeeded, newlyBlocked, parseFeaturesRequest } from './features.js';
import type { CrsPublic, SettingsService } from './settings.service.js';
import type { CrsChange, DomainFeatures } from './tokens.js';
import { argsObject } from './validate.js';

/** What `settings.get` returns: never the shared secret. */
export interface SettingsView {
  crs: CrsPublic | null;
  /** Oldest first; the last entry is the current CRS. */
  crsHistory: CrsChange[];
  license: { systemId: string; licenseKey: string };
  features: DomainFeatures;
  /** false: QR protection follows the deployment flag `letters.qrEncryption` until set here. */
  qrProtectionSet: boolean;
}

/** What `settings.setFeatures` returns. */
export interface FeaturesResult {
  features: DomainFeatures;
  qrProtectionSet: boolean;
  /** The settings that changed, with their new values (empty when nothing did). */
  changed: Partial<DomainFeatures>;
  /** Client versions blocked by switches this change turned on (the confirmation given). */
  blocked: Partial<Record<CompatibilityFeature, string[]>>;
}

const json = <T,>(v: T) => v as unknown as JsonObject;

export function settingsCommands(settings: SettingsService): CommandDefinition<any, any>[] {
  const view = (): SettingsView => ({
    crs: settings.crsPublic(),
    crsHistory: settings.crsHistory(),
    license: { ...settings.license() },
    features: settings.features(),
    qrProtectionSet: settings.qrProtectionSet(),
  });
  const get: CommandDefinition<undefined, JsonObject> = {
    id: 'settings.get',
    title: 'Show the settings',
    audit: false,
    handler: () => json(view()),
  };
  const setFeatures: CommandDefinition<JsonValue, JsonObject> = {
    id: 'settings.setFeatures',
    title: 'Change the domain feature switches',
    // What changed (values are switches and seconds, never secrets) and what the administrator accepted to block.
    audit: (_args, result) => {
      const r = result as unknown as FeaturesResult;
      return { details: json(Object.keys(r.blocked).length ? { changed: r.changed, blocked: r.blocked } : { changed: r.changed }) };
    },
    handler: async (args) => {
      const { patch, confirmBlocking } = parseFeaturesRequest(args);
      const before = settings.features();
      const pinsQr = patch.qrProtection !== undefined && !settings.qrProtectionSet();
      const next = { ...before, ...patch };
      const blocked = newlyBlocked(before, next);
      if (Object.keys(blocked).length && !confirmBlocking) throw confirmationNeeded(blocked);
      const changed = changedFeatures(before, next);
      // Setting QR protection to the value the deployment flag gives still fixes it for the domain.
      if (pinsQr) changed.qrProtection = patch.qrProtection;
      if (Object.keys(changed).length) await settings.updateFeatures(patch);
      const result: FeaturesResult = { features: settings.features(), qrProtectionSet: settings.qrProtectionSet(), changed, blocked };
      return json(result);
    },
  };
  const setCrs: CommandDefinition<JsonObject, CrsPublic> = {
    id: 'settings.setCrs',
    title: 'Change the CRS settings',
    // Records the CRS migration (manual: "CRS migration") without the secret.
    audit: (args, result) => ({
      target: result.address,
      details: { address: result.address, account: result.account, credentialReplaced: args.secret !== undefined },
    }),
    handler: async (args) => {
      const a = argsObject(args);
      await settings.setCrs({ address: a.address, account: a.account, secret: a.secret });
      return settings.crsPublic()!;
    },
  };
  const reveal: CommandDefinition<undefined, { secret: string }> = {
    id: 'settings.revealCrsSecret',
    title: 'Reveal the CRS shared secret',
    // Recorded with the default audit: the action only, never the value.
    handler: () => ({ secret: settings.crs().secret }),
  };
  return [get, setFeatures, setCrs, reveal];
}
