import { hexToBytes } from '@noble/hashes/utils.js';
import { CommandError, type Collection, type IEventLog, type SetupPayload } from '../../src/kernel/index.js';
import type { ISettings } from '../settings/tokens.js';
import type { IUsers, UserLimit } from '../users/tokens.js';
import { acceptKey, evaluate, graceUntil, storedClaims } from './evaluate.js';
import { canonicalKey, type LicenseClaims } from './key-format.js';
import type { ILicense, LicenseStatus } from './tokens.js';

/**
 * When this installation (by checksum) first ran on a permanent key bound to another one: the
 * start of its grace period. Kept per checksum, so one restored from a backup starts its own.
 */
export type LicenseDoc = { _id: string; since: string };
const graceId = (checksum: string) => `grace:${checksum}`;

export interface LicenseDeps {
  settings: ISettings;
  users?: IUsers;
  store: Collection<LicenseDoc>;
  log: IEventLog;
  /** 32 hex digits. */
  checksum: string;
  /** From the deployment config; absent = unlicensed. */
  verifyingKey?: string;
  now: () => Date;
}

/** What a key entered grants, as `license.verify` and `license.set` return it. */
export interface AcceptedKey {
  systemId: string;
  maxUsers: number;
  kind: 'temporary' | 'permanent' | 'unbound';
  /** Temporary keys: the last day valid, `YYYY-MM-DD`. */
  expires?: string;
}

export class LicenseService implements ILicense {
  private readonly verifyingKey?: Uint8Array;
  /** One lookup-or-record at a time, so two callers never both record the start. */
  private graceStart?: Promise<Date>;

  constructor(private readonly deps: LicenseDeps) {
    this.verifyingKey = deps.verifyingKey ? hexToBytes(deps.verifyingKey) : undefined;
  }

  status(): Promise<LicenseStatus> {
    return this.evaluateNow(this.deps.users?.list().length ?? 0);
  }

  private async evaluateNow(usersInUse: number): Promise<LicenseStatus> {
    const { settings, checksum, now } = this.deps;
    const input = { ...settings.license(), checksum, now: now(), verifyingKey: this.verifyingKey, usersInUse };
    const claims = storedClaims(input);
    const mismatchSince = claims?.checksum && claims.checksum !== checksum ? await this.mismatchSince() : undefined;
    return evaluate({ ...input, mismatchSince });
  }

  /** Answers the users plugin's {@link UserLimitHook}. */
  async answerLimit(payload: UserLimit): Promise<void> {
    // The users plugin counts its users itself; listing 10,000 of them here would only be thrown away.
    const s = await this.evaluateNow(0);
    if (s.state === 'unlicensed') return;
    payload.limit = s.userLimit;
    if (s.state === 'expired') payload.source = `the licence expired on ${s.until} (existing users keep working)`;
    if (s.state === 'invalid') payload.source = 'the stored licence key is not valid (see Settings → Licence)';
    if (s.state === 'missing') payload.source = 'no licence key has been entered';
    if (s.state === 'temporary') payload.source = `the temporary licence (until ${s.until})`;
  }

  /** Check a key being entered without storing it. */
  verify(args: { systemId?: unknown; licenseKey?: unknown }): AcceptedKey {
    const { systemId, key } = this.entered(args);
    return accepted(this.accept(key, systemId));
  }

  /** New License: verify, then store through the settings plugin. */
  async set(args: { systemId?: unknown; licenseKey?: unknown }): Promise<AcceptedKey> {
    const { systemId, key } = this.entered(args);
    const claims = this.accept(key, systemId);
    await this.deps.settings.setLicense({ systemId, licenseKey: canonicalKey(key) });
    return accepted(claims);
  }

  /**
   * The wizard's licence fields, before the settings plugin stores them: where the deployment
   * has a verifying key, a licence key is required and must be acceptable.
   */
  setup(payload: SetupPayload): void {
    if (!this.verifyingKey) return;
    const systemId = payload.systemId?.trim() ?? '';
    if (!systemId) throw new CommandError('E_INVALID_ARGS', 'systemId: this deployment is licensed; enter the System ID from your supplier', { field: 'systemId' });
    const key = payload.licenseKey?.trim() ?? '';
    if (!key) throw new CommandError('E_INVALID_ARGS', 'licenseKey: this deployment is licensed; enter the licence key from your supplier', { field: 'licenseKey' });
    this.accept(key, systemId);
    // The settings plugin (next) stores the key as the vendor tool prints it, however it was typed.
    payload.licenseKey = canonicalKey(key);
  }

  private entered(args: { systemId?: unknown; licenseKey?: unknown }): { systemId: string; key: string } {
    if (!this.verifyingKey) {
      throw new CommandError('E_UNLICENSED', 'this deployment is unlicensed (no licenseVerifyingKey in its config): there is no user limit and no licence key to enter');
    }
    if (typeof args.licenseKey !== 'string' || !args.licenseKey.trim()) {
      throw new CommandError('E_INVALID_ARGS', 'licenseKey: enter the licence key from your supplier', { field: 'licenseKey' });
    }
    if (args.systemId !== undefined && typeof args.systemId !== 'string') {
      throw new CommandError('E_INVALID_ARGS', 'systemId: must be a text', { field: 'systemId' });
    }
    const systemId = (args.systemId ?? '').trim() || this.deps.settings.license().systemId;
    if (!systemId) throw new CommandError('E_INVALID_ARGS', 'systemId: no System ID is stored; enter the one from your supplier', { field: 'systemId' });
    return { systemId, key: args.licenseKey.trim() };
  }

  private accept(key: string, systemId: string): LicenseClaims {
    return acceptKey(key, this.verifyingKey!, { systemId, checksum: this.deps.checksum, now: this.deps.now() });
  }

  /** The start of this installation's grace period, recorded (and logged) the first time it is asked for. */
  private mismatchSince(): Promise<Date> {
    this.graceStart ??= this.findOrRecordGrace();
    this.graceStart.catch(() => (this.graceStart = undefined));
    return this.graceStart;
  }

  private async findOrRecordGrace(): Promise<Date> {
    const { store, checksum, log, now } = this.deps;
    const doc = await store.findOne({ _id: graceId(checksum) });
    if (doc) return new Date(doc.since);
    const since = now();
    await store.insert({ _id: graceId(checksum), since: since.toISOString() });
    await log.record({ actor: 'system', action: 'license.temporary', details: { until: graceUntil(since), reason: 'licence key bound to another installation' } });
    return since;
  }
}

function accepted(c: LicenseClaims): AcceptedKey {
  return {
    systemId: c.systemId,
    maxUsers: c.maxUsers,
    kind: c.expires ? 'temporary' : c.checksum ? 'permanent' : 'unbound',
    ...(c.expires ? { expires: c.expires } : {}),
  };
}
