import { CommandError, type Collection, type SetupPayload } from '../../src/kernel/index.js';
import { DEFAULT_FEATURES } from './features.js';
import type { CrsChange, CrsSettings, DomainFeatures, ISettings, LicenseSettings } from './tokens.js';
import { validateAddress, validateId, validateOptionalText, validateSecret } from './validate.js';

/** The switches as stored; `qrProtection` absent: the administrator has not set it, the deployment flag decides. */
type StoredFeatures = Omit<DomainFeatures, 'qrProtection'> & { qrProtection?: boolean };

/**
 * One record per section of the settings (encrypted at rest by the vault). The CRS history sits in
 * the CRS record so a change and its history entry are one write.
 */
export type SettingsDoc =
  | ({ _id: 'crs' } & CrsSettings & { history?: CrsChange[] })
  | ({ _id: 'license' } & LicenseSettings)
  | ({ _id: 'features' } & StoredFeatures);

/** The CRS as `settings.get` shows it: the secret replaced by whether one is set. */
export interface CrsPublic {
  [key: string]: string | boolean;
  address: string;
  account: string;
  secretSet: boolean;
}

/** A licence key is long but bounded; the licence plugin verifies its content. */
const LICENSE_KEY_MAX = 4096;

export interface SettingsOptions {
  /** QR protection until the administrator sets it: the deployment flag `letters.qrEncryption`. */
  qrDefault(): boolean;
  now(): Date;
}

/** Holds the domain settings; loaded when the vault opens, written through on change. */
export class SettingsService implements ISettings {
  private crsDoc?: CrsSettings;
  private history: CrsChange[] = [];
  private licenseDoc: LicenseSettings = { systemId: '', licenseKey: '' };
  private featuresDoc: StoredFeatures = { ...DEFAULT_FEATURES };

  constructor(
    private readonly store: Collection<SettingsDoc>,
    private readonly opts: SettingsOptions,
  ) {}

  async load(): Promise<void> {
    for (const doc of await this.store.find({})) {
      if (doc._id === 'crs') {
        this.crsDoc = { address: doc.address, account: doc.account, secret: doc.secret };
        this.history = doc.history ?? [];
      }
      if (doc._id === 'license') this.licenseDoc = { systemId: doc.systemId, licenseKey: doc.licenseKey };
      if (doc._id === 'features') {
        const { _id, ...stored } = doc;
        this.featuresDoc = { ...DEFAULT_FEATURES, ...stored };
      }
    }
  }

  crs(): CrsSettings {
    if (!this.crsDoc) throw new CommandError('E_NO_SETTINGS', 'the CRS settings have not been set up yet (run the install wizard)');
    return { ...this.crsDoc };
  }

  crsPublic(): CrsPublic | null {
    return this.crsDoc ? { address: this.crsDoc.address, account: this.crsDoc.account, secretSet: true } : null;
  }

  license(): LicenseSettings {
    return { ...this.licenseDoc };
  }

  features(): DomainFeatures {
    const { qrProtection, messageLifetime, ...rest } = this.featuresDoc;
    return {
      ...rest,
      messageLifetime: messageLifetime && { ...messageLifetime },
      qrProtection: qrProtection ?? this.opts.qrDefault(),
    };
  }

  /** Whether QR protection was set under Settings (else the deployment flag gives it). */
  qrProtectionSet(): boolean {
    return this.featuresDoc.qrProtection !== undefined;
  }

  /** Store changed switches (validated by the caller: features.ts); the others keep their stored state. */
  async updateFeatures(patch: Partial<DomainFeatures>): Promise<void> {
    const stored: StoredFeatures = { ...this.featuresDoc, ...patch };
    await this.store.update({ _id: 'features' }, { _id: 'features', ...stored }, { upsert: true });
    this.featuresDoc = stored;
  }

  crsHistory(): CrsChange[] {
    return this.history.map((h) => ({ ...h }));
  }

  async setLicense(next: LicenseSettings): Promise<void> {
    await this.storeLicense(checkLicense(next));
  }

  private async storeLicense(license: LicenseSettings): Promise<void> {
    await this.store.update({ _id: 'license' }, { _id: 'license', ...license }, { upsert: true });
    this.licenseDoc = license;
  }

  /**
   * Validate and store the CRS with a history entry (CRS migration). Storing what is already
   * stored records nothing; an omitted secret keeps the current one.
   */
  async setCrs(next: { address: unknown; account: unknown; secret?: unknown }): Promise<CrsSettings> {
    const before = this.crsDoc;
    const keepSecret = next.secret === undefined && before !== undefined;
    const crs: CrsSettings = {
      address: validateAddress(next.address, 'crs.address'),
      account: validateId(next.account, 'crs.account'),
      secret: keepSecret ? before!.secret : validateSecret(next.secret, 'crs.secret'),
    };
    const secretReplaced = before !== undefined && crs.secret !== before.secret;
    if (before && !secretReplaced && crs.address === before.address && crs.account === before.account) return { ...crs };
    const entry: CrsChange = {
      time: this.opts.now().toISOString(),
      address: crs.address,
      account: crs.account,
      kind: before ? 'change' : 'setup',
      secretReplaced,
    };
    const history = [...this.history, entry];
    await this.store.update({ _id: 'crs' }, { _id: 'crs', ...crs, history }, { upsert: true });
    this.crsDoc = crs;
    this.history = history;
    return { ...crs };
  }

  /** Store the wizard's part: licence fields and CRS settings. Refuses once set up. */
  async setup(payload: SetupPayload): Promise<void> {
    if (this.crsDoc) throw new CommandError('E_ALREADY_SET_UP', 'the settings exist already; change them under Settings');
    const license = checkLicense(payload);
    const crs: Partial<SetupPayload['crs']> = payload.crs ?? {};
    // Validate everything before the first write so a bad field stores nothing.
    const checked = {
      address: validateAddress(crs.address, 'crs.address'),
      account: validateId(crs.account, 'crs.account'),
      secret: validateSecret(crs.secret, 'crs.secret'),
    };
    await this.storeLicense(license);
    await this.setCrs(checked);
  }
}

/** Licence fields as given (the licence plugin verifies the key), bounded and checked; empty when left out. */
function checkLicense(next: Partial<LicenseSettings>): LicenseSettings {
  return {
    systemId: next.systemId ? validateId(next.systemId, 'systemId') : '',
    licenseKey: validateOptionalText(next.licenseKey, 'licenseKey', LICENSE_KEY_MAX),
  };
}
