/** This domain's certificate, made from the domain plugin's name, public keys and creation time. */
import type { IDomain } from '../domain/tokens.js';
import { certificateDigest, encodeCertificate, type CertificateDigest } from './certificate.js';

/** The certificate bytes; the same every time, since everything in it is fixed at setup. */
export function ownCertificateBytes(domain: IDomain): Uint8Array {
  const { kpak, Z } = domain.publicKeys();
  return encodeCertificate({ securityDomain: domain.securityDomain, kpak, Z, created: new Date(domain.created) });
}

/**
 * `$OWN-DOMAIN-ID` and `$OWN-DOMAIN-FINGERPRINT` for letters: the Id and fingerprint of this
 * domain's certificate. Throws `E_NO_DOMAIN` before setup.
 */
export function ownDomainDigest(domain: IDomain): CertificateDigest {
  return certificateDigest(ownCertificateBytes(domain));
}
