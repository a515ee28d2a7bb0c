/**
 * The channel compatibility rule (manual, "Settings and compatibility" → Channels): only users
 * whose client supports channels may be added; earlier clients stop consuming crypto updates.
 * Imports nothing, so the UI bundle can use it without the kernel.
 */
export const CHANNEL_CLIENT_VERSIONS = { 'CCA-i': '3.22.0', 'CCA-a': '3.23.0', 'CCA-w': '3.7.0', CRS: '4.14.0' } as const;
