import { CommandError, type Collection, type SetupPayload } from '../../src/kernel/index.js';
import type { CrsSettings, DomainFeatures, ISettings, LicenseSettings } from './tokens.js';
import { validateAddress, validateId, validateOptionalText, validateSecret } from './validate.js';

/** One record per section of the settings (encrypted at rest by the vault). Later sections add records. */
export type SettingsDoc = ({ _id: 'crs' } & CrsSettings) | ({ _id: 'license' } & LicenseSettings);

/** The CRS as `settings.get` shows it: the secret replaced by whether one is set. */
export interface CrsPublic {
  [key: string]: string | boolean;
  address: string;
  account: string;
  secretSet: boolean;
}

/** A licence key is long but bounded; the licence plugin verifies its content. */
const LICENSE_KEY_MAX = 4096;

/** Holds the domain settings; loaded when the vault opens, written through on change. */
export class SettingsService implements ISettings {
  private crsDoc?: CrsSettings;
  private licenseDoc: LicenseSettings = { systemId: '', licenseKey: '' };

  constructor(private readonly store: Collection<SettingsDoc>) {}

  async load(): Promise<void> {
    for (const doc of await this.store.find({})) {
      if (doc._id === 'crs') this.crsDoc = { address: doc.address, account: doc.account, secret: doc.secret };
      if (doc._id === 'license') this.licenseDoc = { systemId: doc.systemId, licenseKey: doc.licenseKey };
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
    return { messageLifetime: null, authorisedIntercept: false, multipath: false, channels: true, qrProtection: false };
  }

  async setLicense(next: LicenseSettings): Promise<void> {
    const license: LicenseSettings = {
      systemId: next.systemId ? validateId(next.systemId, 'systemId') : '',
      licenseKey: validateOptionalText(next.licenseKey, 'licenseKey', LICENSE_KEY_MAX),
    };
    await this.store.update({ _id: 'license' }, { _id: 'license', ...license }, { upsert: true });
    this.licenseDoc = license;
  }

  async setCrs(next: { address: unknown; account: unknown; secret?: unknown }): Promise<CrsSettings> {
    const keepSecret = next.secret === undefined && this.crsDoc !== undefined;
    const crs: CrsSettings = {
      address: validateAddress(next.address, 'crs.address'),
      account: validateId(next.account, 'crs.account'),
      secret: keepSecret ? this.crsDoc!.secret : validateSecret(next.secret, 'crs.secret'),
    };
    await this.store.update({ _id: 'crs' }, { _id: 'crs', ...crs }, { upsert: true });
    this.crsDoc = crs;
    return { ...crs };
  }

  /** Store the wizard's part: licence fields and CRS settings. Refuses once set up. */
  async setup(payload: SetupPayload): Promise<void> {
    if (this.crsDoc) throw new CommandError('E_ALREADY_SET_UP', 'the settings exist already; change them under Settings');
    const license: LicenseSettings = {
      systemId: payload.systemId ? validateId(payload.systemId, 'systemId') : '',
      licenseKey: validateOptionalText(payload.licenseKey, 'licenseKey', LICENSE_KEY_MAX),
    };
    const crs: Partial<SetupPayload['crs']> = payload.crs ?? {};
    // Validate everything before the first write so a bad field stores nothing.
    const checked = {
      address: validateAddress(crs.address, 'crs.address'),
      account: validateId(crs.account, 'crs.account'),
      secret: validateSecret(crs.secret, 'crs.secret'),
    };
    await this.store.update({ _id: 'license' }, { _id: 'license', ...license }, { upsert: true });
    this.licenseDoc = license;
    await this.setCrs(checked);
  }
}
