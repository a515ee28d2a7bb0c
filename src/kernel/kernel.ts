import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Collection, DeploymentConfig, IEventLog, JsonValue, PluginDefinition, SetupPayload } from './api.js';
import { field, invalid, newPassphrase, object, setupPayload } from './args.js';
import { readConfig } from './config.js';
import { Context, type KernelParts } from './context.js';
import { CommandError, KernelError } from './errors.js';
import { DataDirLock } from './data-lock.js';
import { EventLog, EventLogError } from './eventlog.js';
import { PluginHost, type PluginStatus } from './host.js';
import { defineHook } from './plugin.js';
import { Collections } from './registries/collections.js';
import { CommandBus } from './registries/commands.js';
import { Flags } from './registries/flags.js';
import { Hooks } from './registries/hooks.js';
import { Layouts } from './registries/layouts.js';
import { Menus } from './registries/menus.js';
import { removeCreated, snapshot } from './rollback.js';
import { checkStagedData, DataSwap, recoverRestore, RESTORE_JOURNAL, type DataFile } from './restore.js';
import { declaredSchemas, SCHEMA_COLLECTION, Upgrade, type SchemaDoc } from './upgrade.js';
import type { UpgradeReport } from './upgrade-report.js';
import { Vault, VaultError } from './vault.js';

export type KernelState = 'uninitialised' | 'locked' | 'ready';

export interface KernelOptions {
  dataDir: string;
  /** Default `<dataDir>/keyward.config.json`, where an absent file means `{}`; a named file must exist. */
  configFile?: string;
  plugins: PluginDefinition<any, any, any>[];
  /** Cheap scrypt for vaults made by `kernel.init` — test suites only (see Vault). */
  insecureTestKdf?: boolean;
  /** How long to wait for another process to let go of the data dir before E_BUSY (default 10 s). */
  lockWaitMs?: number;
}

/** What `kernel.status` returns. */
export interface KernelStatus {
  state: KernelState;
  securityDomain?: string;
  plugins: PluginStatus[];
  /** Config problems that do not stop Keyward: unknown flags or plugin ids, flag values of the wrong type. */
  warnings: string[];
}

/** Runs after `kernel.init` has created the vault and activated the plugins; each plugin stores its part. */
export const SetupHook = defineHook<SetupPayload>('kernel.setup');

export const CONFIG_FILE = 'keyward.config.json';
const RESERVED_PLUGIN_IDS = ['kernel', 'log'];
const LOG_MENU = { id: 'log', label: 'Event log', element: 'kw-log-view', order: 900 };

/** The kernel's own collection (`kernel.db`): what it must know at unlock. */
type KernelDoc = { _id: 'setup'; securityDomain: string } | { _id: 'osSink'; on: boolean };

/**
 * The kernel: a data dir, its plugins and the registries they fill. It moves from
 * 'uninitialised' (no vault) or 'locked' to 'ready' through the `kernel.init` and
 * `kernel.unlock` commands, and back to 'locked' with `stop()`.
 */
export class Kernel {
  readonly commands: CommandBus;
  readonly menus = new Menus();
  readonly flags: Flags;
  readonly layouts = new Layouts();
  readonly hooks = new Hooks();
  /** Plugins' collection versions (upgrade.ts); a declaration mistake fails `create`. */
  private readonly schemas = declaredSchemas(this.plugins);
  /** What the last session start upgraded, until `kernel.unlock` reports it. */
  private upgraded?: UpgradeReport;
  private state_: KernelState;
  private session?: { vault: Vault; lock: DataDirLock; log: EventLog; ctx: Context; store: Collection<KernelDoc> };
  private securityDomain?: string;
  /** State changes (init, unlock, stop) run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dataDir: string,
    readonly config: DeploymentConfig,
    readonly configFile: string,
    private readonly host: PluginHost,
    private readonly plugins: PluginDefinition<any, any, any>[],
    private readonly insecureTestKdf: boolean,
    private readonly lockWaitMs: number,
  ) {
    this.state_ = Vault.exists(dataDir) ? 'locked' : 'uninitialised';
    this.flags = new Flags(config.flags ?? {}, configFile);
    this.commands = new CommandBus({
      unknown: (id) => (this.state_ === 'ready' ? new CommandError('E_UNKNOWN_COMMAND', `Unknown command "${id}"`) : this.notReady()),
      log: () => this.session?.log,
    });
    this.registerBuiltins();
    this.registerStandalone();
  }

  /**
   * Reads the config and validates the plugin graph (KernelError). Touches nothing in the data dir,
   * except to roll back a restore that was cut short (restore.ts).
   */
  static async create(opts: KernelOptions): Promise<Kernel> {
    const configFile = opts.configFile ?? join(opts.dataDir, CONFIG_FILE);
    const config = await readConfig(configFile, opts.configFile === undefined);
    const reserved = opts.plugins.find((p) => RESERVED_PLUGIN_IDS.includes(p.id));
    if (reserved) throw new KernelError(`Plugin id "${reserved.id}" is reserved by the kernel`);
    const host = new PluginHost(opts.plugins, config.disabled, config.enabled);
    const lockWaitMs = opts.lockWaitMs ?? 10_000;
    if (existsSync(join(opts.dataDir, RESTORE_JOURNAL))) {
      // Under the lock: a live process holding it may be carrying out that restore right now.
      const lock = await DataDirLock.acquire(opts.dataDir, lockWaitMs);
      try {
        await recoverRestore(opts.dataDir);
      } finally {
        lock.release();
      }
    }
    return new Kernel(opts.dataDir, config, configFile, host, opts.plugins, opts.insecureTestKdf === true, lockWaitMs);
  }

  get state(): KernelState {
    return this.state_;
  }

  /** The event log; only there once 'ready'. */
  get log(): IEventLog {
    if (!this.session) throw new KernelError(`The event log is only available when Keyward is unlocked (state: ${this.state_})`);
    return this.session.log;
  }

  /** Every plugin's status once ready; before that only the disabled ones and their dependents. */
  report(): PluginStatus[] {
    return this.host.report();
  }

  /** Disposes every plugin in reverse activation order, then the kernel's own registrations, and locks the vault. */
  stop(): Promise<void> {
    return this.serial(async () => {
      if (this.state_ !== 'ready') return;
      this.state_ = 'locked';
      await this.close();
    });
  }

  private warnings(): string[] {
    const ids = new Set(this.plugins.map((p) => p.id));
    const unknown = (field: 'disabled' | 'enabled') =>
      (this.config[field] ?? []).filter((id) => !ids.has(id)).map((id) => `${this.configFile}: ${field} names "${id}", which is not a plugin`);
    return [
      ...unknown('disabled'),
      ...unknown('enabled'),
      ...(this.state_ === 'ready' ? this.flags.warnings() : []),
    ];
  }

  private registerBuiltins(): void {
    const c = this.commands;
    c.register({ id: 'kernel.status', title: 'Status', audit: false, handler: () => json(this.status()) });
    c.register<JsonValue, { state: KernelState }>({
      id: 'kernel.init',
      title: 'Initialise Keyward',
      audit: false, // recorded inside, so a failure to record rolls back too
      handler: (args, ctx) => this.init(args, ctx.actor),
    });
    c.register<JsonValue, { state: KernelState; upgraded?: JsonValue }>({
      id: 'kernel.unlock',
      title: 'Unlock',
      handler: async (args) => {
        const result = await this.unlock(field(args, 'kernel.unlock', 'passphrase'));
        // Said once, to the unlock that did it (the shell and the CLI tell the administrator).
        const upgraded = this.upgraded;
        this.upgraded = undefined;
        return upgraded ? { ...result, upgraded: json(upgraded) } : result;
      },
    });
    c.register<JsonValue, void>({
      id: 'kernel.changePassphrase',
      title: 'Change passphrase',
      handler: async (args) => {
        const current = field(args, 'kernel.changePassphrase', 'current');
        const next = newPassphrase(args, 'kernel.changePassphrase', 'next');
        await this.ready().vault.changePassphrase(current, next).catch(shown);
      },
    });
    c.register({ id: 'kernel.menus', title: 'Menus', audit: false, handler: () => json(this.menus.list()) });
    c.register({ id: 'kernel.flags', title: 'Flags', audit: false, handler: () => json(this.flags.list()) });
    c.register({ id: 'kernel.commands', title: 'Commands', audit: false, handler: () => json(c.list()) });
    c.register<JsonValue | undefined, JsonValue>({
      id: 'log.list',
      title: 'Event log',
      audit: false,
      handler: async (args) => {
        const query = args === undefined ? {} : object(args, 'log.list', 'the argument');
        return json(await this.ready().log.list(query).catch(shown));
      },
    });
    c.register({
      id: 'log.verify',
      title: 'Verify event log',
      audit: false,
      handler: async () => json(await this.ready().log.verify()),
    });
    c.register({ id: 'log.osSink', title: 'OS log copy', audit: false, handler: () => this.osSink() });
    c.register<JsonValue, JsonValue>({
      id: 'log.setOsSink',
      title: 'Copy the event log to the OS log',
      audit: (args) => ({ details: { on: (args as { on: boolean }).on } }),
      handler: async (args) => {
        const on = object(args, 'log.setOsSink', 'the argument').on;
        if (typeof on !== 'boolean') throw invalid('log.setOsSink', 'on must be true or false');
        const { log, store } = this.ready();
        await store.update({ _id: 'osSink' }, { _id: 'osSink', on }, { upsert: true });
        log.setOsSink(on);
        return this.osSink();
      },
    });
  }

  /** Plugins' commands that exist in every state (PluginDefinition.standalone); a disabled plugin brings none. */
  private registerStandalone(): void {
    const disabled = new Set(this.report().filter((p) => p.status === 'disabled').map((p) => p.id));
    const self = this;
    const access = {
      dataDir: this.dataDir,
      get state() {
        return self.state_;
      },
      restoreData: async (files: DataFile[], passphrase: string) => void (await this.restoreData(files, passphrase)),
    };
    for (const plugin of this.plugins) {
      if (!plugin.standalone || disabled.has(plugin.id)) continue;
      for (const def of plugin.standalone(access)) this.commands.register(def, plugin.id);
    }
  }

  private status(): KernelStatus {
    const status: KernelStatus = { state: this.state_, plugins: this.report(), warnings: this.warnings() };
    if (this.state_ === 'ready' && this.securityDomain !== undefined) status.securityDomain = this.securityDomain;
    return status;
  }

  /**
   * Creates the vault, activates the plugins and runs the setup hook. Anything failing removes
   * every file and folder this created and leaves the kernel 'uninitialised'.
   */
  private init(args: JsonValue, actor: string): Promise<{ state: KernelState }> {
    return this.serial(async () => {
      if (this.state_ !== 'uninitialised' || Vault.exists(this.dataDir)) {
        throw new CommandError('E_ALREADY_INITIALISED', `${this.dataDir} is already initialised; nothing was changed`);
      }
      const passphrase = newPassphrase(args, 'kernel.init', 'passphrase');
      const setup = setupPayload(args);
      const before = await snapshot(this.dataDir).catch((err: unknown) => {
        throw ioError(err, this.dataDir);
      });
      try {
        await this.open(await Vault.create(this.dataDir, passphrase, { insecureTestKdf: this.insecureTestKdf }));
        const failed = this.report().filter((p) => p.status === 'failed');
        if (failed.length) {
          throw new CommandError('E_PLUGIN_FAILED', 'Some plugins failed to start; nothing was kept', { plugins: json(failed) });
        }
        const { securityDomain, systemId } = setup;
        await this.session!.store.insert({ _id: 'setup', securityDomain });
        await this.hooks.run(SetupHook, setup);
        await this.session!.log.record({ actor, action: 'kernel.init', target: securityDomain, details: systemId ? { systemId } : undefined });
        this.securityDomain = securityDomain;
        this.state_ = 'ready';
      } catch (err) {
        await this.close().catch(() => undefined);
        await removeCreated(this.dataDir, before);
        throw ioError(err, this.dataDir);
      }
      return { state: this.state_ };
    });
  }

  /** Whether new event log records are copied to the OS log (`log.setOsSink`, remembered in kernel.db), and how that goes. */
  private osSink(): JsonValue {
    const { log } = this.ready();
    return { on: log.osSinkEnabled, ...log.osLog.stats };
  }

  /** Opens the vault (a wrong passphrase changes nothing) and activates the plugins. */
  private unlock(passphrase: string): Promise<{ state: KernelState }> {
    return this.serial(async () => {
      if (this.state_ === 'uninitialised') throw this.notReady();
      const vault = await Vault.open(this.dataDir, passphrase).catch(shown);
      if (this.state_ === 'ready') {
        vault.lock(); // already unlocked: the passphrase was checked, nothing else to do
        return { state: this.state_ };
      }
      try {
        await this.resume(vault);
      } catch (err) {
        await this.close().catch(() => undefined);
        throw err;
      }
      this.state_ = 'ready';
      return { state: this.state_ };
    });
  }

  /** Opens a session on existing data and reads back what the kernel keeps in kernel.db. */
  private async resume(vault: Vault): Promise<void> {
    await this.open(vault);
    const docs = await this.session!.store.find({});
    for (const doc of docs) {
      if (doc._id === 'setup') this.securityDomain = doc.securityDomain;
      if (doc._id === 'osSink') this.session!.log.setOsSink(doc.on);
    }
  }

  /**
   * Replaces the data with `files` (restore.ts) and unlocks it with `passphrase`. Nothing is touched
   * until the staged files pass {@link checkStagedData}; a failure after the swap moves the old data
   * back and leaves the kernel locked (or uninitialised, if there was none).
   */
  private restoreData(files: DataFile[], passphrase: string): Promise<void> {
    return this.serial(async () => {
      if (this.state_ === 'locked') throw this.notReady();
      const swap = await DataSwap.stage(this.dataDir, files).catch((err: unknown) => {
        throw ioError(err, this.dataDir);
      });
      try {
        await checkStagedData(swap.stagedDir, passphrase, this.schemas);
      } catch (err) {
        await swap.discard();
        throw ioError(err, this.dataDir);
      }
      if (this.state_ === 'ready') {
        this.state_ = 'locked';
        await this.close();
      }
      let lock: DataDirLock | undefined;
      try {
        lock = await DataDirLock.acquire(this.dataDir, this.lockWaitMs);
        await swap.swapIn();
        lock.release();
        lock = undefined;
        await this.resume(await Vault.open(this.dataDir, passphrase).catch(shown));
        const failed = this.report().filter((p) => p.status === 'failed');
        if (failed.length) throw new CommandError('E_PLUGIN_FAILED', 'Some plugins failed to start on the restored data; the old data was put back', { plugins: json(failed) });
        const verified = await this.session!.log.verify();
        if (!verified.ok) throw new CommandError('E_CORRUPT', 'The restored event log fails verification; the old data was put back');
        await swap.commit();
        this.state_ = 'ready';
      } catch (err) {
        await this.close().catch(() => undefined);
        lock ??= await DataDirLock.acquire(this.dataDir, this.lockWaitMs).catch(() => undefined);
        try {
          await recoverRestore(this.dataDir);
        } finally {
          lock?.release();
        }
        this.state_ = Vault.exists(this.dataDir) ? 'locked' : 'uninitialised';
        throw ioError(err, this.dataDir);
      }
    });
  }

  /** Starts a session on an unlocked vault: the kernel's own registrations first, then the plugins. */
  private async open(vault: Vault): Promise<void> {
    const lock = await DataDirLock.acquire(this.dataDir, this.lockWaitMs).catch((err: unknown) => {
      vault.lock();
      throw err;
    });
    const log = new EventLog(this.dataDir, vault);
    const parts: KernelParts = {
      dataDir: this.dataDir,
      config: this.config,
      commands: this.commands,
      menus: this.menus,
      collections: new Collections(this.dataDir, vault),
      hooks: this.hooks,
      flags: this.flags,
      layouts: this.layouts,
      log,
    };
    const ctx = new Context('kernel', parts);
    ctx.menus.register(LOG_MENU);
    this.session = { vault, lock, log, ctx, store: ctx.collections.open<KernelDoc>('kernel') };
    // An older data dir is migrated (or a newer one refused) before any plugin reads it.
    const upgrade = new Upgrade(this.dataDir, vault, log, ctx.collections.open<SchemaDoc>(SCHEMA_COLLECTION), this.schemas);
    this.upgraded = await upgrade.beforeStart();
    await this.host.start((pluginId) => new Context(pluginId, parts));
    await upgrade.afterStart();
  }

  /** Ends the session: plugins in reverse order, then the kernel's registrations; the data key is zeroised last. */
  private async close(): Promise<void> {
    const session = this.session;
    try {
      await this.host.stop();
    } finally {
      await session?.ctx.dispose().catch(() => undefined);
      session?.vault.lock();
      session?.lock.release();
      this.session = undefined;
      this.securityDomain = undefined;
    }
  }

  private ready(): NonNullable<Kernel['session']> {
    if (this.state_ !== 'ready' || !this.session) throw this.notReady();
    return this.session;
  }

  private notReady(): CommandError {
    return this.state_ === 'uninitialised'
      ? new CommandError('E_NOT_INITIALISED', 'Keyward is not initialised: run the install wizard (kernel.init) first')
      : new CommandError('E_LOCKED', 'Keyward is locked: unlock it with the administrator passphrase (kernel.unlock)');
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Vault and event log failures carry messages written to be shown (no secrets); pass them on as command errors. */
function shown(err: unknown): never {
  if (err instanceof VaultError || err instanceof EventLogError) throw new CommandError(err.code, err.message);
  throw err;
}

/** Typed results (interfaces) as the bus's JsonValue; the bus checks JSON-safety at run time anyway. */
function json(value: object): JsonValue {
  return value as unknown as JsonValue;
}

/** A file system failure (no permission, not a folder, disk full) as an error that names the data dir. */
function ioError(err: unknown, dataDir: string): unknown {
  const { code, syscall } = (err ?? {}) as NodeJS.ErrnoException;
  return typeof code === 'string' && syscall ? new CommandError('E_IO', `Cannot write to ${dataDir} (${code})`) : err;
}
