/**
 * The manual's compatibility table ("Settings and compatibility" → Summary): which client versions
 * support each domain feature and which ones it blocks. The one copy: Settings shows it beside each
 * switch and asks before a blocking switch; the channels plugin takes its member rule from it.
 * Imports nothing, so the UI bundle can use it without the kernel (tokens.ts re-exports it).
 */

/** The client kinds of the table, in its column order. */
export const CLIENTS = ['CCA-i', 'CCA-a', 'CCA-w', 'CIG'] as const;
export type Client = (typeof CLIENTS)[number];

export const CLIENT_NAMES: Record<Client, string> = {
  'CCA-i': 'Cryptify Call for iPhone',
  'CCA-a': 'Cryptify Call for Android',
  'CCA-w': 'Cryptify Call for Windows',
  CIG: 'Cryptify Interconnect Gateway',
};

/** A "Supported version" cell: from a version on, or the manual's "None" / "N/A". */
export type Supported = { from: string } | 'none' | 'n/a';
/** A "Blocked versions" cell: versions below one, or the manual's "None" / "All". */
export type Blocked = { below: string } | 'none' | 'all';

/** The features of the table (DomainFeatures names). */
export type CompatibilityFeature = 'messageLifetime' | 'authorisedIntercept' | 'multipath' | 'channels';

export interface FeatureCompatibility {
  feature: CompatibilityFeature;
  /** The row's name in the manual. */
  label: string;
  supported: Record<Client, Supported>;
  blocked: Record<Client, Blocked>;
  /**
   * Whom switching the feature on blocks: `domain` — every client listed as blocked, anywhere in the
   * system; `member` — only clients made members (channels: "per client"), so the switch blocks nobody.
   */
  blocks: 'domain' | 'member';
  /** The lowest CRS version the feature needs, where the manual names one. */
  crs?: string;
  /** The manual's note for the administrator. */
  note: string;
}

const from = (v: string): Supported => ({ from: v });
const below = (v: string): Blocked => ({ below: v });

/**
 * As printed in the manual's Summary. (Its prose gives lower "supported" versions for authorised
 * intercept, iPhone 3.19.0 and Android 3.20.0, than the table; the table is what the blocked cells
 * agree with, so it is kept verbatim.)
 */
export const COMPATIBILITY: readonly FeatureCompatibility[] = [
  {
    feature: 'messageLifetime',
    label: 'Message lifetime',
    supported: { 'CCA-i': from('3.18.0'), 'CCA-a': from('3.19.0'), 'CCA-w': from('3.6.0'), CIG: from('2.5.0') },
    blocked: { 'CCA-i': below('3.18.0'), 'CCA-a': below('3.19.0'), 'CCA-w': below('3.6.0'), CIG: below('2.5.0') },
    blocks: 'domain',
    note:
      'Enabling maximum message lifetime will prevent all other clients and gateways from using any part of the system. ' +
      'Clients that do not support a default lifetime apply the maximum.',
  },
  {
    feature: 'authorisedIntercept',
    label: 'Authorized intercept with minimal key exposure',
    supported: { 'CCA-i': from('3.22.0'), 'CCA-a': from('3.23.0'), 'CCA-w': from('3.7.0'), CIG: from('2.8.0') },
    blocked: { 'CCA-i': below('3.19.0'), 'CCA-a': below('3.20.0'), 'CCA-w': below('3.7.0'), CIG: below('2.8.0') },
    blocks: 'domain',
    note:
      'Limits the key exposure of an interception to the target’s RSK only. ' +
      'Enabling it will prevent all other clients and gateways from using any part of the system.',
  },
  {
    feature: 'multipath',
    label: 'Multipath networking',
    supported: { 'CCA-i': from('3.20.0'), 'CCA-a': from('3.21.0'), 'CCA-w': from('3.6.0'), CIG: 'n/a' },
    blocked: { 'CCA-i': 'none', 'CCA-a': 'none', 'CCA-w': 'none', CIG: 'none' },
    blocks: 'domain',
    note:
      'Uses several network interfaces at once. With a VPN the app may in some configurations bypass it. ' +
      'iPhone clients before 3.13.0 and Android clients before 3.14.0 apply the change only after their next crypto update.',
  },
  {
    feature: 'channels',
    label: 'Channels (per client)',
    supported: { 'CCA-i': from('3.22.0'), 'CCA-a': from('3.23.0'), 'CCA-w': from('3.7.0'), CIG: 'none' },
    blocked: { 'CCA-i': below('3.22.0'), 'CCA-a': below('3.22.0'), 'CCA-w': below('3.7.0'), CIG: 'all' },
    blocks: 'member',
    crs: '4.14.0',
    note:
      'Users running earlier versions should not be added to any channel: it would prevent them from consuming future crypto updates. ' +
      'The CRS must run 4.14.0 or later.',
  },
];

export function compatibilityOf(feature: CompatibilityFeature): FeatureCompatibility {
  return COMPATIBILITY.find((c) => c.feature === feature)!;
}

/** A cell as the manual prints it: "≥3.18.0", "None", "N/A", "<3.18.0", "All". */
export function formatSupported(cell: Supported): string {
  return cell === 'none' ? 'None' : cell === 'n/a' ? 'N/A' : `≥${cell.from}`;
}
export function formatBlocked(cell: Blocked): string {
  return cell === 'none' ? 'None' : cell === 'all' ? 'All' : `<${cell.below}`;
}

/**
 * The client versions switching `feature` on blocks everywhere, e.g. ["CCA-i <3.19.0", …]; empty
 * when it blocks nobody outright (no blocked cells, or only members are affected).
 */
export function blockedBySwitching(feature: CompatibilityFeature): string[] {
  const row = compatibilityOf(feature);
  if (row.blocks !== 'domain') return [];
  return CLIENTS.filter((c) => row.blocked[c] !== 'none').map((c) => `${c} ${formatBlocked(row.blocked[c])}`);
}

/** The lowest client versions that support a feature (`'none'`/`'n/a'` cells left out). */
export function minimumVersions(feature: CompatibilityFeature): Partial<Record<Client, string>> {
  const row = compatibilityOf(feature);
  const out: Partial<Record<Client, string>> = {};
  for (const c of CLIENTS) {
    const cell = row.supported[c];
    if (typeof cell === 'object') out[c] = cell.from;
  }
  return out;
}
