/**
 * The kernel's public surface as plugins, shells and tests see it.
 * Implementations live beside this file; plugins import only these types and
 * the functions re-exported from `src/kernel/index.ts`.
 */
import type Datastore from 'nedb-promises';

/** Anything that can be undone. Every `register…`/`on…` returns one; the plugin context tracks it. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** A typed service token; the interface and its token share a name (`IUsers`). */
export interface Token<T> {
  readonly id: string;
  /** Phantom field carrying T; never set. */
  readonly __type?: T;
}

/** JSON-safe values: what commands take and return, flags hold and the event log records. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type TokenMap = Record<string, Token<unknown>>;
export type Resolved<D extends TokenMap> = { [K in keyof D]: D[K] extends Token<infer T> ? T : never };
export type ResolvedOptional<D extends TokenMap> = { [K in keyof D]?: D[K] extends Token<infer T> ? T : never };

export interface PluginDefinition<D extends TokenMap = TokenMap, O extends TokenMap = TokenMap, P = unknown> {
  /** Unique id, also the namespace of its commands, hooks, flags and collections (`users.add`). */
  id: string;
  description?: string;
  /** Services this plugin needs; missing providers are an error at registration. */
  requires?: D;
  /** Services used when present (e.g. channels in user details); absent ones are `undefined`. */
  optional?: O;
  provides?: Token<P>;
  /**
   * Off unless the deployment config lists it in `enabled` (alternatives to a default plugin,
   * e.g. `devices-linux` beside `devices-folder`: only plugins that run may provide the same token).
   */
  disabledByDefault?: boolean;
  /**
   * Schema versions of the collections this plugin opens, by collection name. A collection not
   * named here is version 1. Declared on the definition, not at `open`, because the kernel
   * migrates an older data dir at unlock before any plugin starts (see {@link CollectionSchema}).
   */
  collections?: Record<string, CollectionSchema>;
  /**
   * Commands that exist in every kernel state, before `kernel.init` and while locked too (the install
   * wizard's "Restore from backup"). They are registered when the kernel is created and get no
   * context or services, only `kernel`.
   */
  standalone?(kernel: StandaloneKernel): CommandDefinition<any, any>[];
  activate(ctx: PluginContext, deps: Resolved<D> & ResolvedOptional<O>): P | Promise<P>;
}

export interface PluginContext {
  readonly pluginId: string;
  readonly dataDir: string;
  /** The deployment config as read at start (e.g. the licence plugin reads `licenseVerifyingKey`). */
  readonly config: Readonly<DeploymentConfig>;
  readonly commands: CommandRegistry;
  readonly menus: MenuRegistry;
  readonly collections: CollectionRegistry;
  readonly hooks: HookRegistry;
  readonly flags: FlagRegistry;
  readonly layouts: LayoutRegistry;
  readonly log: IEventLog;
  /** Track a disposable so it is disposed when the plugin stops. Returns it. */
  track<D extends Disposable>(d: D): D;
}

// ---------------------------------------------------------------- commands

/** The error every command failure is reduced to across the bridge, CLI and tests. */
export interface CommandErrorInfo {
  code: string;
  message: string;
  details?: JsonValue;
}

export interface Progress {
  done: number;
  total: number;
  message?: string;
}

export interface CommandContext {
  /** Who runs it ("admin", "cli", "test"); recorded in the event log. */
  readonly actor: string;
  readonly signal: AbortSignal;
  progress(p: Progress): void;
  /** Run another command inside this one (same actor, signal and progress sink). */
  execute<A extends JsonValue | undefined, R extends JsonValue | void>(id: string, args: A): Promise<R>;
}

export interface CommandDefinition<A extends JsonValue | undefined = JsonValue | undefined, R extends JsonValue | void = JsonValue | void> {
  /** Namespaced by plugin: `<pluginId>.<name>`. */
  id: string;
  title: string;
  /** Destructive commands ask for confirmation in the UI and CLI (`--yes`). */
  destructive?: boolean;
  /**
   * How the event log records a successful run. Default: the command id with no details.
   * Return details that carry no secrets; `false` records nothing (read-only commands).
   */
  audit?: false | ((args: A, result: R) => { target?: string; details?: JsonObject });
  /**
   * Runs alone: waits until every running command has finished and holds new ones back until it
   * is done (a backup copying the data files). Commands it runs itself through `ctx.execute` go ahead.
   */
  exclusive?: boolean;
  handler(args: A, ctx: CommandContext): R | Promise<R>;
}

export interface CommandInfo {
  id: string;
  title: string;
  destructive: boolean;
  pluginId: string;
}

export interface ExecuteOptions {
  actor?: string;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface CommandRegistry {
  register<A extends JsonValue | undefined, R extends JsonValue | void>(def: CommandDefinition<A, R>): Disposable;
  execute<R extends JsonValue | void = JsonValue | void>(id: string, args?: JsonValue, opts?: ExecuteOptions): Promise<R>;
  list(): CommandInfo[];
}

// ---------------------------------------------------------------- menus

export interface MenuItem {
  /** Namespaced id (`users`, `users.tools.import`). */
  id: string;
  label: string;
  /** Tag of the Lit element the shell mounts (`kw-users-view`), defined in the plugin's `ui/`. */
  element: string;
  order: number;
  /** Parent menu id for sub-menus. */
  parent?: string;
}

export interface MenuRegistry {
  register(item: MenuItem): Disposable;
  list(): MenuItem[];
}

// ---------------------------------------------------------------- collections

/**
 * nedb-promises Datastore, encrypted at rest record by record by the vault.
 * (A type-only default import: esbuild, and so tsx, cannot parse the `import('nedb-promises')<T>` form.)
 */
export type Collection<T extends object = Record<string, unknown>> = Datastore<T & { _id?: string }>;

export interface CollectionRegistry {
  /**
   * Opens (creating if needed) `<dataDir>/<name>.db`. Names are unique across plugins. Its records
   * are in the version the plugin declares in {@link PluginDefinition.collections} (default 1).
   */
  open<T extends object>(name: string): Collection<T>;
}

/**
 * Turns one record of version `v - 1` into version `v` (keep `_id`), or drops it (`null`). Pure:
 * it may run again on the same old record if an upgrade is interrupted and retried.
 */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown> | null;

/**
 * A collection's schema version and the forward migrations that reach it. The data dir records the
 * version of every collection (the kernel's `schema` collection; a data dir from before versions
 * existed is version 1 throughout). At unlock, before any plugin starts, a collection stored in an
 * older version is migrated: the kernel first copies the data files to
 * `<dataDir>/upgrade-backups/<time>-v<from>-v<to>/`, then runs `migrations[from + 1]` …
 * `migrations[version]` over every record, and replaces the files all-or-nothing (an interrupted
 * upgrade is finished or retried at the next unlock). A stored version above `version` refuses the
 * unlock with `E_SCHEMA_NEWER` and changes nothing. See docs/upgrade.md.
 */
export interface CollectionSchema {
  /** The version this code reads and writes: an integer ≥ 1, raised by one per format change. */
  version: number;
  /** `migrations[v]` upgrades a record from `v - 1` to `v`; every step from 2 to `version` is required. */
  migrations?: Record<number, Migration>;
}

// ---------------------------------------------------------------- hooks

export interface Hook<T> {
  readonly id: string;
  readonly __type?: T;
}

export interface HookRegistry {
  /** Handlers run one after another, lowest `order` first (default 100), and may change the payload. */
  on<T>(hook: Hook<T>, handler: (payload: T) => void | Promise<void>, order?: number): Disposable;
  run<T>(hook: Hook<T>, payload: T): Promise<T>;
}

// ---------------------------------------------------------------- flags

export interface FlagDefinition<T extends JsonValue = JsonValue> {
  /** Namespaced id (`letters.qrEncryption`). */
  id: string;
  label: string;
  description?: string;
  default: T;
}

export interface FlagInfo extends FlagDefinition {
  value: JsonValue;
  /** Where the value comes from. */
  source: 'default' | 'config';
}

export interface FlagRegistry {
  declare<T extends JsonValue>(def: FlagDefinition<T>): Disposable;
  get<T extends JsonValue>(id: string): T;
  list(): FlagInfo[];
}

// ---------------------------------------------------------------- layouts

export interface LayoutDefinition {
  /** Namespaced id (`letters.user-initiation`). */
  id: string;
  label: string;
  /** Handlebars HTML. */
  template: string;
  /** Editable text fields with their default text (may hold `$VARIABLES`). */
  fields?: Record<string, string>;
}

export interface LayoutRegistry {
  register(def: LayoutDefinition): Disposable;
  get(id: string): LayoutDefinition | undefined;
  list(): LayoutDefinition[];
}

// ---------------------------------------------------------------- event log

export interface EventRecord {
  seq: number;
  /** ISO 8601 UTC. */
  time: string;
  actor: string;
  action: string;
  target?: string;
  details?: JsonObject;
}

export interface LogVerifyResult {
  ok: boolean;
  records: number;
  /** First bad record (sequence number) and what is wrong with it. */
  problem?: { seq: number; reason: string };
}

export interface IEventLog {
  record(e: { actor: string; action: string; target?: string; details?: JsonObject }): Promise<EventRecord>;
  list(opts?: { offset?: number; limit?: number; action?: string }): Promise<{ total: number; records: EventRecord[] }>;
  verify(): Promise<LogVerifyResult>;
}

// ---------------------------------------------------------------- config

/** `keyward.config.json` beside the data, or `--config`. */
export interface DeploymentConfig {
  /** Plugin ids not to load. */
  disabled?: string[];
  /** Plugin ids to load that are `disabledByDefault`. A plugin named here and in `disabled` is an error. */
  enabled?: string[];
  /** Flag values for this deployment. */
  flags?: Record<string, JsonValue>;
  /** Ed25519 public key (hex) that verifies licence keys; absent = unlicensed, no user limit. */
  licenseVerifyingKey?: string;
}

// ---------------------------------------------------------------- setup

/** What a plugin's `standalone` commands may ask of the kernel. */
export interface StandaloneKernel {
  readonly dataDir: string;
  readonly state: 'uninitialised' | 'locked' | 'ready';
  /**
   * Replaces the installation's data (every data file of the data dir) with `files` in one step and
   * unlocks it with `passphrase`, the administrator passphrase of that data. Before anything is
   * touched the files are staged and checked (the vault opens, every record opens, the event log
   * verifies); a failure or a crash part-way leaves the old data as it was (rolled back at the next
   * start). Refused while 'locked'. Ends 'ready'.
   */
  restoreData(files: { name: string; data: Uint8Array }[], passphrase: string): Promise<void>;
}

/**
 * What the install wizard (`kernel.init`, `keyward init`) collects. The kernel creates the vault
 * from the passphrase, activates the plugins, then runs the `kernel.setup` hook with the rest:
 * each plugin stores its part (domain: name and master keys; settings: CRS; license: licence).
 */
export interface SetupPayload {
  securityDomain: string;
  systemId?: string;
  licenseKey?: string;
  crs: { address: string; account: string; secret: string };
  /**
   * Fingerprints of domains this installation replaces because they are compromised (manual,
   * "Compromised recovery – CMS"): the backup plugin refuses any backup that carries one.
   */
  compromisedDomains?: string[];
}
