/** The kernel's public surface: plugins, shells, the CLI and tests import from here. */
export * from './api.js';
export { token } from './token.js';
export { definePlugin, defineHook } from './plugin.js';
export { CommandError, KernelError } from './errors.js';
export type { PluginStatus } from './host.js';
export { Kernel, SetupHook, CONFIG_FILE, type KernelOptions, type KernelState, type KernelStatus } from './kernel.js';
export { createTestKernel, TEST_PASSPHRASE, TEST_SETUP, type TestKernel } from './testing.js';
export { fsyncFile, ignoreMissing, syncDir, writeFileAtomic } from './atomic-file.js';
export { derivePassphraseKey, type ScryptParams } from './vault.js';
export { dataFileNameProblem, listDataFiles, NOT_DATA, type DataFile } from './restore.js';
