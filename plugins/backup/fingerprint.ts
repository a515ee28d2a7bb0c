/**
 * Domain fingerprints as the administrator types them: SHA-256 of the domain certificate, shown as
 * 16 groups of 4 upper-case hex digits (docs/formats.md, "Domain certificate").
 */

/** The fingerprint in its shown form, or undefined when `text` is not 64 hex digits (spaces ignored). */
export function normaliseFingerprint(text: string): string | undefined {
  const hex = text.replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  return hex.match(/.{4}/g)!.join(' ');
}
