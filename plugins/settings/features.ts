/**
 * The rules of the domain feature switches (manual, "Settings and compatibility"): what a change
 * may hold, what it changes, and which switches it turns on that block client versions.
 */
import { CommandError, type JsonObject } from '../../src/kernel/index.js';
import { blockedBySwitching, compatibilityOf, type CompatibilityFeature } from './compatibility.js';
import { MESSAGE_LIFETIME_MAX_SECONDS, MESSAGE_LIFETIME_MIN_SECONDS, describeDuration } from './lifetime.js';
import type { DomainFeatures, MessageLifetime } from './tokens.js';
import { argsObject, invalid } from './validate.js';

/** What a new domain has: nothing that blocks a client; channels on. QR protection follows the deployment flag. */
export const DEFAULT_FEATURES: Omit<DomainFeatures, 'qrProtection'> = {
  messageLifetime: null,
  authorisedIntercept: false,
  multipath: false,
  channels: true,
};

const SWITCHES = ['authorisedIntercept', 'multipath', 'channels', 'qrProtection'] as const;
const FIELDS = ['messageLifetime', ...SWITCHES] as const;

/** `settings.setFeatures` arguments: the settings to change, and whether blocking switches are confirmed. */
export interface FeaturesRequest {
  patch: Partial<DomainFeatures>;
  confirmBlocking: boolean;
}

/** Check every field before anything is stored; unknown fields are refused, not ignored. */
export function parseFeaturesRequest(args: unknown): FeaturesRequest {
  const a = argsObject(args);
  const patch: Partial<DomainFeatures> = {};
  for (const key of Object.keys(a)) {
    if (key !== 'confirmBlocking' && !(FIELDS as readonly string[]).includes(key)) {
      throw invalid(key, `is not a domain setting (settings are ${FIELDS.join(', ')})`);
    }
  }
  if (a.confirmBlocking !== undefined && typeof a.confirmBlocking !== 'boolean') throw invalid('confirmBlocking', 'must be true or false');
  if (a.messageLifetime !== undefined) patch.messageLifetime = validateMessageLifetime(a.messageLifetime);
  for (const key of SWITCHES) {
    const v = a[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw invalid(key, 'must be true or false');
    patch[key] = v;
  }
  if (!Object.keys(patch).length) throw invalid('settings', `give at least one of ${FIELDS.join(', ')}`);
  return { patch, confirmBlocking: a.confirmBlocking === true };
}

/** `null` (messages do not expire) or a maximum of 1 hour to 365 days and a default from 1 hour up to the maximum, in whole seconds. */
export function validateMessageLifetime(value: unknown): MessageLifetime | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('messageLifetime', 'must be null (off) or an object with maxSeconds and defaultSeconds');
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== 'maxSeconds' && key !== 'defaultSeconds') throw invalid(`messageLifetime.${key}`, 'is not part of the message lifetime (maxSeconds, defaultSeconds)');
  }
  const lo = `${MESSAGE_LIFETIME_MIN_SECONDS} (${describeDuration(MESSAGE_LIFETIME_MIN_SECONDS)})`;
  const hi = `${MESSAGE_LIFETIME_MAX_SECONDS} (${describeDuration(MESSAGE_LIFETIME_MAX_SECONDS)})`;
  const max = v.maxSeconds;
  if (!wholeSeconds(max) || max < MESSAGE_LIFETIME_MIN_SECONDS || max > MESSAGE_LIFETIME_MAX_SECONDS) {
    throw invalid('messageLifetime.maxSeconds', `must be a whole number of seconds from ${lo} to ${hi}`);
  }
  const def = v.defaultSeconds;
  if (!wholeSeconds(def) || def < MESSAGE_LIFETIME_MIN_SECONDS || def > max) {
    throw invalid('messageLifetime.defaultSeconds', `must be a whole number of seconds from ${lo} up to the maximum, ${max} (${describeDuration(max)})`);
  }
  return { maxSeconds: max, defaultSeconds: def };
}

function wholeSeconds(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** The fields of `next` that differ from `before`, with their new values (for the audit record). */
export function changedFeatures(before: DomainFeatures, next: DomainFeatures): Partial<DomainFeatures> {
  const out: Partial<DomainFeatures> = {};
  const a = before.messageLifetime;
  const b = next.messageLifetime;
  if ((a === null) !== (b === null) || (a && b && (a.maxSeconds !== b.maxSeconds || a.defaultSeconds !== b.defaultSeconds))) {
    out.messageLifetime = b;
  }
  for (const key of SWITCHES) if (before[key] !== next[key]) out[key] = next[key];
  return out;
}

/** Features of the compatibility table that are off in `before` and on in `next`. */
function switchedOn(before: DomainFeatures, next: DomainFeatures): CompatibilityFeature[] {
  const on = (f: DomainFeatures, k: CompatibilityFeature) => (k === 'messageLifetime' ? f.messageLifetime !== null : f[k]);
  return (['messageLifetime', 'authorisedIntercept', 'multipath', 'channels'] as const).filter((k) => !on(before, k) && on(next, k));
}

/** The client versions each newly switched-on feature blocks (only features that block some). */
export function newlyBlocked(before: DomainFeatures, next: DomainFeatures): Partial<Record<CompatibilityFeature, string[]>> {
  const out: Partial<Record<CompatibilityFeature, string[]>> = {};
  for (const f of switchedOn(before, next)) {
    const blocked = blockedBySwitching(f);
    if (blocked.length) out[f] = blocked;
  }
  return out;
}

/** "switching on Message lifetime blocks CCA-i <3.18.0, … from using any part of the system" (the API and the CLI say it). */
export function describeBlocked(blocked: Partial<Record<CompatibilityFeature, string[]>>): string {
  const parts = Object.entries(blocked).map(([f, versions]) => `${compatibilityOf(f as CompatibilityFeature).label} blocks ${versions.join(', ')}`);
  return `switching on ${parts.join('; ')} from using any part of the system`;
}

/** `E_CONFIRM` naming every blocked client version, per feature. */
export function confirmationNeeded(blocked: Partial<Record<CompatibilityFeature, string[]>>): CommandError {
  return new CommandError('E_CONFIRM', `${describeBlocked(blocked)}; confirm to go ahead (confirmBlocking: true)`, { blocked: blocked as JsonObject });
}
