import type {
  CollectionRegistry,
  CommandRegistry,
  DeploymentConfig,
  Disposable,
  FlagRegistry,
  HookRegistry,
  IEventLog,
  LayoutRegistry,
  MenuRegistry,
  PluginContext,
} from './api.js';
import { KernelError } from './errors.js';
import type { Collections } from './registries/collections.js';
import type { CommandBus } from './registries/commands.js';

/** The kernel's registries and services a context hands out. */
export interface KernelParts {
  dataDir: string;
  config: Readonly<DeploymentConfig>;
  commands: CommandBus;
  menus: MenuRegistry;
  collections: Collections;
  hooks: HookRegistry;
  flags: FlagRegistry;
  layouts: LayoutRegistry;
  log: IEventLog;
}

/**
 * One plugin's view of the kernel. Every registration made through it is tracked and
 * undone by `dispose()` (last in, first out), so plugins write no cleanup code.
 */
export class Context implements PluginContext {
  readonly dataDir: string;
  readonly config: Readonly<DeploymentConfig>;
  readonly commands: CommandRegistry;
  readonly menus: MenuRegistry;
  readonly collections: CollectionRegistry;
  readonly hooks: HookRegistry;
  readonly flags: FlagRegistry;
  readonly layouts: LayoutRegistry;
  readonly log: IEventLog;
  private tracked: Disposable[] = [];

  constructor(
    readonly pluginId: string,
    parts: KernelParts,
  ) {
    const { commands, menus, collections, hooks, flags, layouts } = parts;
    this.dataDir = parts.dataDir;
    this.config = parts.config;
    this.log = parts.log;
    this.commands = {
      register: (def) => this.track(commands.register(def, pluginId)),
      execute: (id, args, opts) => commands.execute(id, args, opts),
      list: () => commands.list(),
    };
    this.menus = { register: (item) => this.track(menus.register(item)), list: () => menus.list() };
    this.collections = { open: (name) => collections.open(name, pluginId, (d) => this.track(d)) };
    this.hooks = { on: (hook, fn, order) => this.track(hooks.on(hook, fn, order)), run: (hook, p) => hooks.run(hook, p) };
    this.flags = { declare: (def) => this.track(flags.declare(def)), get: (id) => flags.get(id), list: () => flags.list() };
    this.layouts = {
      register: (def) => this.track(layouts.register(def)),
      get: (id) => layouts.get(id),
      list: () => layouts.list(),
    };
  }

  track<D extends Disposable>(d: D): D {
    this.tracked.push(d);
    return d;
  }

  /** Disposes everything tracked, newest first; one failure does not stop the rest. */
  async dispose(): Promise<void> {
    const items = this.tracked.reverse();
    this.tracked = [];
    let failed = 0;
    for (const d of items) {
      try {
        await d.dispose();
      } catch {
        failed++;
      }
    }
    if (failed) throw new KernelError(`Plugin "${this.pluginId}": ${failed} registration(s) failed to dispose`);
  }
}
