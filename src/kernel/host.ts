import 'reflect-metadata'; // tsyringe needs the Reflect polyfill loaded before it
import { container, type DependencyContainer } from 'tsyringe';
import type { PluginDefinition, Token } from './api.js';
import type { Context } from './context.js';
import { KernelError } from './errors.js';

/** How a plugin fared: `active`, `failed` (activate threw), `skipped` (a dependency is not there), `disabled` (by the config, or by default). */
export interface PluginStatus {
  id: string;
  status: 'active' | 'failed' | 'skipped' | 'disabled';
  reason?: string;
}

type AnyPlugin = PluginDefinition<any, any, any>;

/** Plugin ids are namespaces of command, flag and menu ids (`users.add`), so no dots. */
const PLUGIN_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Holds the plugin graph. The constructor validates it (duplicate ids, two providers of a token,
 * missing providers, cycles) and fixes the activation order; `start` activates in that order,
 * isolating failures; `stop` disposes in reverse. Services live in a tsyringe child container per start.
 */
export class PluginHost {
  /** Dependencies first, otherwise registration order. */
  readonly order: AnyPlugin[] = [];
  private readonly providers = new Map<string, AnyPlugin>();
  private readonly initial = new Map<string, PluginStatus>();
  private statuses = new Map<string, PluginStatus>();
  private active: { def: AnyPlugin; ctx: Context }[] = [];
  private services: DependencyContainer | undefined;

  constructor(
    private readonly defs: AnyPlugin[],
    disabled: readonly string[] = [],
    enabled: readonly string[] = [],
  ) {
    const ids = new Set<string>();
    for (const def of defs) {
      if (!PLUGIN_ID.test(def.id)) throw new KernelError(`Plugin id "${def.id}" may only hold a-z, 0-9 and "-"`);
      if (ids.has(def.id)) throw new KernelError(`Two plugins have the id "${def.id}"`);
      ids.add(def.id);
    }
    const off = new Map<string, string>();
    for (const def of defs) {
      if (disabled.includes(def.id)) off.set(def.id, 'disabled in the deployment config');
      else if (def.disabledByDefault && !enabled.includes(def.id)) off.set(def.id, 'disabled by default; "enabled" in the deployment config turns it on');
    }
    // Two providers of a token are an error only among plugins that run (alternatives like the devices
    // plugins share a token). A token only plugins that are off provide resolves to the first of them,
    // so its dependents are reported 'skipped' instead of the graph being rejected.
    for (const running of [true, false]) {
      for (const def of defs) {
        if (!def.provides || off.has(def.id) === running) continue;
        const other = this.providers.get(def.provides.id);
        if (!other) this.providers.set(def.provides.id, def);
        else if (running) throw new KernelError(`Plugins "${other.id}" and "${def.id}" both provide "${def.provides.id}"`);
      }
    }
    for (const def of defs) {
      for (const [name, tok] of deps(def.requires)) {
        if (!this.providers.has(tok.id)) {
          throw new KernelError(`Plugin "${def.id}" requires "${tok.id}" (as "${name}") but no plugin provides it`);
        }
      }
    }
    this.sort();
    for (const def of this.order) {
      const reason = off.get(def.id);
      const status = reason ? ({ id: def.id, status: 'disabled', reason } as const) : this.blocked(def, this.initial);
      if (status) this.initial.set(def.id, status);
    }
    this.statuses = new Map(this.initial);
  }

  /** Status of every plugin whose fate is known: all of them once started, else the disabled and their dependents. */
  report(): PluginStatus[] {
    return this.defs.flatMap((d) => this.statuses.get(d.id) ?? []);
  }

  /** Activates every plugin in dependency order; one that throws is disposed, reported `failed`, its dependents `skipped`. */
  async start(contextFor: (pluginId: string) => Context): Promise<void> {
    const services = (this.services = container.createChildContainer());
    this.statuses = new Map(this.initial);
    for (const def of this.order) {
      if (this.statuses.has(def.id)) continue;
      const blocked = this.blocked(def, this.statuses);
      if (blocked) {
        this.statuses.set(def.id, blocked);
        continue;
      }
      const resolved: Record<string, unknown> = {};
      for (const [name, tok] of [...deps(def.requires), ...deps(def.optional)]) {
        resolved[name] = services.isRegistered(tok.id) ? services.resolve(tok.id) : undefined;
      }
      const ctx = contextFor(def.id);
      try {
        const service = await def.activate(ctx, resolved);
        if (def.provides) {
          if (service === undefined) throw new KernelError(`activate() returned nothing but the plugin provides "${def.provides.id}"`);
          services.register(def.provides.id, { useValue: service });
        }
        this.active.push({ def, ctx });
        this.statuses.set(def.id, { id: def.id, status: 'active' });
      } catch (err) {
        await ctx.dispose().catch(() => undefined);
        this.statuses.set(def.id, { id: def.id, status: 'failed', reason: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /** Disposes every active plugin, last activated first. Carries on past failures and names them at the end. */
  async stop(): Promise<void> {
    const failed: string[] = [];
    for (const { def, ctx } of this.active.reverse()) {
      await ctx.dispose().catch(() => failed.push(def.id));
    }
    this.active = [];
    this.services = undefined;
    this.statuses = new Map(this.initial);
    if (failed.length) throw new KernelError(`Plugins failed to stop cleanly: ${failed.join(', ')}`);
  }

  /** `skipped` if a required provider is already known not to run. */
  private blocked(def: AnyPlugin, known: Map<string, PluginStatus>): PluginStatus | undefined {
    for (const [, tok] of deps(def.requires)) {
      const provider = this.providers.get(tok.id)!;
      const status = known.get(provider.id)?.status;
      if (status && status !== 'active') {
        return { id: def.id, status: 'skipped', reason: `requires "${tok.id}" from plugin "${provider.id}", which is ${status}` };
      }
    }
    return undefined;
  }

  /** Depth-first topological sort over required and (present) optional providers; a back edge is a cycle. */
  private sort(): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const path: string[] = [];
    const visit = (def: AnyPlugin): void => {
      if (state.get(def.id) === 'done') return;
      if (state.get(def.id) === 'visiting') {
        const cycle = [...path.slice(path.indexOf(def.id)), def.id];
        throw new KernelError(`Dependency cycle: ${cycle.join(' → ')}`);
      }
      state.set(def.id, 'visiting');
      path.push(def.id);
      for (const [, tok] of [...deps(def.requires), ...deps(def.optional)]) {
        const provider = this.providers.get(tok.id);
        if (provider) visit(provider);
      }
      path.pop();
      state.set(def.id, 'done');
      this.order.push(def);
    };
    this.defs.forEach(visit);
  }
}

function deps(map: Record<string, Token<unknown>> | undefined): [string, Token<unknown>][] {
  return Object.entries(map ?? {});
}
