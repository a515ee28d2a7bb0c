import type {
  CommandContext,
  CommandDefinition,
  CommandInfo,
  CommandRegistry,
  Disposable,
  ExecuteOptions,
  IEventLog,
  JsonValue,
} from '../api.js';
import { CommandError, KernelError } from '../errors.js';
import { EventLogError } from '../eventlog.js';
import { findNonJson } from '../json.js';
import { Gate } from './gate.js';

export interface CommandBusOptions {
  /** The error for an id nobody registered; plugin commands exist only once the kernel is ready. */
  unknown(id: string): CommandError;
  /** The event log, or undefined while there is none (before 'ready'). */
  log(): IEventLog | undefined;
}

interface Entry {
  def: CommandDefinition<any, any>;
  pluginId: string;
}

const NAMESPACED = /^[a-z0-9][a-z0-9_-]*(\.[a-zA-Z0-9_-]+)+$/;

/**
 * The command registry: every action of the UI, CLI and tests goes through `execute`.
 * Arguments and results are JSON-safe, failures are reduced to `CommandError`
 * (`{code, message, details}`), and successful runs are recorded in the event log
 * without their arguments.
 */
export class CommandBus implements CommandRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly gate = new Gate();

  constructor(private readonly opts: CommandBusOptions) {}

  /** Registers a command on behalf of `pluginId` (the plugin context passes its own). */
  register<A extends JsonValue | undefined, R extends JsonValue | void>(
    def: CommandDefinition<A, R>,
    pluginId = 'kernel',
  ): Disposable {
    if (!NAMESPACED.test(def.id)) throw new KernelError(`Command id "${def.id}" must be namespaced, e.g. "${pluginId}.add"`);
    const existing = this.entries.get(def.id);
    if (existing) throw new KernelError(`Command "${def.id}" is already registered by plugin "${existing.pluginId}"`);
    const entry: Entry = { def, pluginId };
    this.entries.set(def.id, entry);
    return { dispose: () => void (this.entries.get(def.id) === entry && this.entries.delete(def.id)) };
  }

  list(): CommandInfo[] {
    return [...this.entries.values()]
      .map(({ def, pluginId }) => ({ id: def.id, title: def.title, destructive: def.destructive === true, pluginId }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  execute<R extends JsonValue | void = JsonValue | void>(id: string, args?: JsonValue, opts: ExecuteOptions = {}): Promise<R> {
    return this.run<R>(id, args, opts, false);
  }

  /** `nested`: run by another command through `ctx.execute`, inside that command's turn at the gate. */
  private async run<R extends JsonValue | void>(id: string, args: JsonValue | undefined, opts: ExecuteOptions, nested: boolean): Promise<R> {
    const entry = this.entries.get(id);
    if (!entry) throw this.opts.unknown(id);
    // Name where the argument goes wrong, never what it holds: it may be a passphrase.
    const badArg = args === undefined ? undefined : findNonJson(args, 'args');
    if (badArg) throw new CommandError('E_INVALID_ARGS', `${id}: ${badArg.path} is not JSON-safe (${badArg.kind})`);
    const actor = opts.actor ?? 'admin';
    const signal = opts.signal ?? new AbortController().signal;
    if (signal.aborted) throw cancelled(id);
    const ctx: CommandContext = {
      actor,
      signal,
      progress: (p) => opts.onProgress?.(p),
      execute: (sub, subArgs) => this.run(sub, subArgs, { ...opts, actor, signal }, true),
    };
    const leave = nested ? () => {} : await this.gate.enter(entry.def.exclusive === true);
    if (this.entries.get(id) !== entry) {
      // While it waited, an exclusive command (a restore) restarted the plugins: run the current registration.
      leave();
      return this.run<R>(id, args, opts, nested);
    }
    try {
      let result: R;
      try {
        result = await entry.def.handler(args, ctx);
      } catch (err) {
        throw reduce(err, id, signal);
      }
      const badResult = result === undefined ? undefined : findNonJson(result, 'result');
      if (badResult) throw new CommandError('E_INTERNAL', `${id}: ${badResult.path} is not JSON-safe (${badResult.kind})`);
      await this.record(entry.def, actor, args, result);
      return result;
    } finally {
      leave();
    }
  }

  private async record(def: CommandDefinition<any, any>, actor: string, args: unknown, result: unknown): Promise<void> {
    const log = this.opts.log();
    if (def.audit === false || !log) return;
    try {
      const { target, details } = def.audit ? def.audit(args, result) : {};
      await log.record({ actor, action: def.id, target, details });
    } catch (err) {
      // The event log's own refusals (e.g. a details key naming a secret) are safe to show and tell the plugin author why.
      const why = err instanceof EventLogError ? `: ${err.message}` : '';
      throw new CommandError('E_AUDIT', `${def.id} was carried out but could not be recorded in the event log${why}`);
    }
  }
}

function cancelled(id: string): CommandError {
  return new CommandError('E_CANCELLED', `${id} was cancelled`);
}

/** Reduces whatever a handler threw to a CommandError; foreign errors are not echoed (they may hold secrets). */
function reduce(err: unknown, id: string, signal: AbortSignal): CommandError {
  if (signal.aborted) return cancelled(id);
  if (err instanceof CommandError) return err;
  return new CommandError('E_INTERNAL', `${id} failed with an internal error`);
}
