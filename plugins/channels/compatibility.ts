/**
 * The channel compatibility rule (manual, "Settings and compatibility" → Channels): only users
 * whose client supports channels may be added; earlier clients stop consuming crypto updates.
 * Taken from the one compatibility table (the settings plugin's); that module imports nothing,
 * so the UI bundle can use this without the kernel, which the settings tokens would pull in.
 */
import { compatibilityOf, minimumVersions } from '../settings/compatibility.js';

const min = minimumVersions('channels');
export const CHANNEL_CLIENT_VERSIONS = {
  'CCA-i': min['CCA-i']!,
  'CCA-a': min['CCA-a']!,
  'CCA-w': min['CCA-w']!,
  CRS: compatibilityOf('channels').crs!,
} as const;
