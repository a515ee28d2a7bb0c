/**
 * One CLI run's connection to the kernel: opened on first use, unlocked only when a command needs
 * it, stopped (vault locked) at the end. Destructive commands are confirmed here, once for all paths.
 */
import { Kernel, CommandError, type JsonValue, type PluginDefinition, type Progress } from '../kernel/index.js';
import { builtinPlugins } from '../../plugins/index.js';
import { upgradeNotice, type UpgradeReport } from '../kernel/upgrade-report.js';
import { UsageError } from './errors.js';
import { currentPassphrase } from './passphrase.js';
import { confirm, interactive, type CliIo } from './prompt.js';

/** Recorded as the actor in the event log for actions taken from the command line. */
export const CLI_ACTOR = 'cli';

/** Commands that run without an unlocked vault. */
const WITHOUT_UNLOCK = new Set(['kernel.status', 'kernel.init', 'kernel.unlock', 'backup.restore']);

export interface SessionOptions {
  dataDir: string;
  configFile?: string;
  passphraseFile?: string;
  /** `--yes`: destructive commands are confirmed in advance. */
  yes: boolean;
  /** The plugins to load (default: the built-in set). */
  plugins?: PluginDefinition<any, any, any>[];
}

export class Session {
  private kernel?: Kernel;

  constructor(
    readonly io: CliIo,
    readonly opts: SessionOptions,
  ) {}

  /** The kernel, created on first use (reads the config, changes nothing on disk). */
  async open(): Promise<Kernel> {
    this.kernel ??= await Kernel.create({ dataDir: this.opts.dataDir, configFile: this.opts.configFile, plugins: this.opts.plugins ?? builtinPlugins });
    return this.kernel;
  }

  /**
   * The kernel in state 'ready': unlocks with the administrator passphrase when locked.
   * Returns the passphrase used, if one was needed (for `passphrase change`).
   */
  async unlock(): Promise<string | undefined> {
    const kernel = await this.open();
    if (kernel.state === 'uninitialised') {
      throw new CommandError('E_NOT_INITIALISED', `Keyward is not set up in ${this.opts.dataDir}: run "keyward init" first`);
    }
    if (kernel.state === 'ready') return undefined;
    const passphrase = await currentPassphrase(this.opts.passphraseFile, this.io);
    const { upgraded } = (await kernel.commands.execute('kernel.unlock', { passphrase }, { actor: CLI_ACTOR })) as { upgraded?: UpgradeReport };
    // On stderr, so a --json result on stdout stays one JSON document.
    if (upgraded) this.io.stderr.write(`${upgradeNotice(upgraded)}\n`);
    return passphrase;
  }

  /**
   * Run a command as the CLI actor: unlocks first unless the command works without, asks for
   * confirmation of a destructive command, shows progress on a terminal and cancels on Ctrl-C.
   */
  async execute<R = JsonValue>(id: string, args?: JsonValue): Promise<R> {
    const kernel = await this.open();
    if (!WITHOUT_UNLOCK.has(id)) await this.unlock();
    const info = kernel.commands.list().find((c) => c.id === id);
    if (info?.destructive) await this.confirmDestructive(id, info.title);

    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    process.once('SIGINT', onInterrupt);
    const showProgress = this.io.stderr.isTTY;
    let shown = false;
    try {
      return (await kernel.commands.execute(id, args, {
        actor: CLI_ACTOR,
        signal: controller.signal,
        onProgress: showProgress ? (p) => ((shown = true), this.io.stderr.write(`\r${progressLine(id, p)}`)) : undefined,
      })) as R;
    } finally {
      process.off('SIGINT', onInterrupt);
      if (shown) this.io.stderr.write('\n');
    }
  }

  /** Stop the kernel (disposes plugins, locks the vault). */
  async close(): Promise<void> {
    await this.kernel?.stop();
    this.kernel = undefined;
  }

  private async confirmDestructive(id: string, title: string): Promise<void> {
    if (this.opts.yes) return;
    if (!interactive(this.io)) {
      throw new UsageError(`${id} (${title}) cannot be undone: add --yes to confirm it (there is no terminal to ask on)`);
    }
    if (!(await confirm(`${title} (${id}) cannot be undone. Go ahead?`, this.io))) {
      throw new CommandError('E_CANCELLED', 'not confirmed; nothing was done');
    }
  }
}

function progressLine(id: string, p: Progress): string {
  const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
  return `${p.message ?? id}: ${p.done}/${p.total} (${pct}%)`.padEnd(60);
}
