/**
 * The administrator passphrase rules: a minimum length the kernel enforces (so no front end can
 * bypass it) and a rough strength estimate the wizard shows (a hint, not a gate beyond the minimum).
 * Free of Node imports: the browser bundle uses it too.
 */

/** The passphrase protects every key at rest; NIST SP 800-63B asks ≥ 8, we ask a phrase. */
export const MIN_PASSPHRASE_LENGTH = 12;

export interface PassphraseStrength {
  level: 'too-short' | 'weak' | 'fair' | 'strong';
  /** Rough guessing work in bits (length × log2 of the alphabet used, discounted for repeats). */
  bits: number;
  hint: string;
}

/** Why `passphrase` is refused as a new administrator passphrase, or undefined when it is acceptable. */
export function passphraseProblem(passphrase: string): string | undefined {
  return [...passphrase].length < MIN_PASSPHRASE_LENGTH ? `must be at least ${MIN_PASSPHRASE_LENGTH} characters long` : undefined;
}

/** Estimate how hard a passphrase is to guess. */
export function passphraseStrength(passphrase: string): PassphraseStrength {
  const chars = [...passphrase];
  if (chars.length < MIN_PASSPHRASE_LENGTH) {
    return { level: 'too-short', bits: 0, hint: `Use at least ${MIN_PASSPHRASE_LENGTH} characters; a phrase of several unrelated words is best.` };
  }
  let alphabet = 0;
  if (/[a-z]/.test(passphrase)) alphabet += 26;
  if (/[A-Z]/.test(passphrase)) alphabet += 26;
  if (/[0-9]/.test(passphrase)) alphabet += 10;
  if (/[ -/:-@[-`{-~]/.test(passphrase)) alphabet += 33;
  if (/[^\x00-\x7f]/.test(passphrase)) alphabet += 100;
  // Repeated characters add little: count each distinct character fully, repeats at a quarter.
  const distinct = new Set(chars).size;
  const effectiveLength = distinct + (chars.length - distinct) / 4;
  const bits = Math.round(effectiveLength * Math.log2(Math.max(alphabet, 2)));
  if (bits < 60) return { level: 'weak', bits, hint: 'Weak: add more words or characters.' };
  if (bits < 80) return { level: 'fair', bits, hint: 'Fair: a few more words would make it strong.' };
  return { level: 'strong', bits, hint: 'Strong passphrase.' };
}
