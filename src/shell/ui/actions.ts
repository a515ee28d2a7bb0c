/**
 * `runCommand`: the one-liner plugin views use for a button — confirm when the command is
 * destructive, run it (progress shows in the shell), then notify success or the error.
 */
import type { CommandInfo, JsonValue } from '../../kernel/api.js';
import { invoke, type InvokeOptions } from './bridge.js';
import { confirm, type ConfirmOptions } from './dialog.js';
import { notify, notifyError } from './notify.js';

export interface RunOptions<R> extends InvokeOptions {
  /** Ask first. Destructive commands always ask; without this a generic question names the command. */
  confirm?: ConfirmOptions;
  /** Success notification (text, or built from the result); none when absent. */
  success?: string | ((result: R) => string);
}

let commandInfo: Promise<Map<string, CommandInfo>> | undefined;

/** Forget the cached command list (the shell calls this when the kernel's state changes). */
export function refreshCommandInfo(): void {
  commandInfo = undefined;
}

async function describe(command: string): Promise<CommandInfo | undefined> {
  commandInfo ??= invoke<CommandInfo[]>('kernel.commands').then((list) => new Map(list.map((c) => [c.id, c])));
  try {
    return (await commandInfo).get(command);
  } catch {
    commandInfo = undefined;
    return undefined;
  }
}

/**
 * Run a command from the UI. Resolves with its result, or undefined when the administrator
 * declined or the command failed (the error has then been shown).
 */
export async function runCommand<R = JsonValue>(command: string, args?: JsonValue, opts: RunOptions<R> = {}): Promise<R | undefined> {
  const info = await describe(command);
  const question =
    opts.confirm ??
    (info?.destructive
      ? { title: info.title, message: `This runs "${info.title}" and cannot be undone.`, confirmLabel: info.title }
      : undefined);
  if (question && !(await confirm(question))) return undefined;
  try {
    const result = await invoke<R>(command, args, opts);
    if (opts.success) notify(typeof opts.success === 'string' ? opts.success : opts.success(result), 'success');
    return result;
  } catch (err) {
    notifyError(err);
    return undefined;
  }
}
