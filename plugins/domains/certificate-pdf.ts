/**
 * My domain certificate on paper: rendered from the `domains.certificate` layout by the letters
 * plugin (PDF in the installed Chromium), then printed or burned through the devices plugin.
 */
import { CommandError } from '../../src/kernel/index.js';
import { Period } from '../../src/crypto/index.js';
import type { BurnResult, IDevices, PrintResult } from '../devices/tokens.js';
// The letters plugin's QR symbols (byte mode, level M); shared so the certificate's QR matches the letters'.
import { qrSvgDataUrl, type ILetters, type LetterFile } from '../letters/tokens.js';
import type { ISettings } from '../settings/tokens.js';
import type { OwnCertificate } from './tokens.js';

/** Layout id of the domain certificate (default in layouts/domain-certificate.hbs). */
export const CERTIFICATE_LAYOUT = 'domains.certificate';

export interface CertificatePdfDeps {
  letters: ILetters;
  settings: ISettings;
  devices?: IDevices;
  now(): Date;
}

/** The certificate as one PDF: the layout with the QR code "certificate" and the numbered `rows`. */
export async function certificatePdf(own: OwnCertificate, deps: CertificatePdfDeps, signal?: AbortSignal): Promise<LetterFile> {
  const crs = deps.settings.crs();
  const [file] = await deps.letters.layoutPdf(
    CERTIFICATE_LAYOUT,
    [
      {
        fileName: `domain-certificate-${own.id.replace(' ', '')}.pdf`,
        data: {
          uri: '',
          crs: { address: crs.address, account: crs.account },
          domain: own.securityDomain,
          period: Period.of(deps.now()).toString(),
          ownDomainId: own.id,
          ownDomainFingerprint: own.fingerprint,
          qr: { certificate: await qrSvgDataUrl(own.bytes) },
          rows: own.rows,
        },
      },
    ],
    { signal },
  );
  return file!;
}

async function device(deps: CertificatePdfDeps, kind: 'printer' | 'burner'): Promise<IDevices> {
  const devices = deps.devices;
  if (!devices) throw new CommandError('E_NO_DEVICES', 'No devices plugin is active in this deployment (see keyward.config.json)');
  const status = await devices.status();
  if (!status[kind]) {
    throw kind === 'printer' ? new CommandError('E_NO_PRINTER', 'No printer is available') : new CommandError('E_NO_BURNER', 'No disc burner is available');
  }
  return devices;
}

/** Print the certificate on the device printer. */
export async function printCertificate(own: OwnCertificate, deps: CertificatePdfDeps, signal?: AbortSignal): Promise<PrintResult> {
  const devices = await device(deps, 'printer'); // before the browser starts: no printer, nothing made
  const file = await certificatePdf(own, deps, signal);
  return devices.print([{ name: file.fileName, data: file.pdf }]);
}

/** Burn the certificate as PDF, then verify what was written. */
export async function burnCertificate(own: OwnCertificate, deps: CertificatePdfDeps, signal?: AbortSignal): Promise<BurnResult & { volumeLabel: string }> {
  const devices = await device(deps, 'burner');
  const file = await certificatePdf(own, deps, signal);
  const volumeLabel = `KEYWARD_DOMAIN_${own.id.replace(' ', '')}`;
  return { ...(await devices.burn([{ name: file.fileName, data: file.pdf }], { volumeLabel })), volumeLabel };
}
