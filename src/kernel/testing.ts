import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeploymentConfig, PluginDefinition, SetupPayload } from './api.js';
import { CONFIG_FILE, Kernel } from './kernel.js';

export const TEST_PASSPHRASE = 'correct horse battery staple';

export const TEST_SETUP: SetupPayload = {
  securityDomain: 'test.example',
  crs: { address: 'crs.example.net', account: 'DEMOACCOUNT_1', secret: 's3cret-shared' },
};

export interface TestKernel {
  kernel: Kernel;
  dataDir: string;
  passphrase: string;
  /** Stops the kernel and deletes the data dir. */
  cleanup(): Promise<void>;
}

/**
 * A ready kernel with `plugins` on a fresh temp data dir: writes `config` (if given) as
 * keyward.config.json, then runs `kernel.init` with {@link TEST_PASSPHRASE} and `setup`
 * (fields default to {@link TEST_SETUP}). Uses cheap scrypt, so it is for tests only.
 */
export async function createTestKernel(opts: {
  plugins: PluginDefinition<any, any, any>[];
  config?: DeploymentConfig;
  setup?: Partial<SetupPayload>;
}): Promise<TestKernel> {
  const dataDir = await mkdtemp(join(tmpdir(), 'keyward-test-'));
  const cleanup = async () => rm(dataDir, { recursive: true, force: true });
  try {
    if (opts.config) await writeFile(join(dataDir, CONFIG_FILE), JSON.stringify(opts.config));
    const kernel = await Kernel.create({ dataDir, plugins: opts.plugins, insecureTestKdf: true });
    await kernel.commands.execute('kernel.init', { passphrase: TEST_PASSPHRASE, setup: { ...TEST_SETUP, ...opts.setup } as never }, { actor: 'test' });
    return {
      kernel,
      dataDir,
      passphrase: TEST_PASSPHRASE,
      cleanup: async () => {
        await kernel.stop();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
