/**
 * `keyward`: the command-line front end over the kernel's command registry.
 * Exit codes: 0 success, 1 a command failed (`error [CODE]: message` on stderr), 2 usage errors.
 */
import { resolveDataDir } from '../shell/data-dir.js';
import { CommandError, type PluginDefinition } from '../kernel/index.js';
import { checkOptions, optionValue, parseArgs } from './args.js';
import { COMMANDS, findCommand } from './commands.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { printError, printResult } from './output.js';
import type { CliIo } from './prompt.js';
import { Session } from './session.js';
import { commandUsage, fullUsage, helpFor } from './usage.js';

/**
 * Run the CLI with the given arguments (without `node keyward`); resolves to the exit code.
 * `plugins` replaces the built-in set (tests that need a command the built-ins lack).
 */
export async function main(argv: string[], io: CliIo = processIo(), plugins?: PluginDefinition<any, any, any>[]): Promise<number> {
  let session: Session | undefined;
  try {
    const parsed = parseArgs(argv);
    const words = parsed.words;
    if (words[0] === 'help' || (parsed.options.has('help') && words.length === 0)) {
      const found = words.length > 1 ? findCommand(words.slice(1)) : undefined;
      if (words.length > 1 && !found) throw new UsageError(`unknown command "${words.slice(1).join(' ')}"`);
      io.stdout.write((found ? helpFor(found.command) : fullUsage()) + '\n');
      return EXIT_OK;
    }
    if (words.length === 0) throw new UsageError('no command given');
    const found = findCommand(words);
    if (!found) throw new UsageError(`unknown command "${words.join(' ')}"${suggest(words[0]!)}`);
    if (parsed.options.has('help')) {
      io.stdout.write(helpFor(found.command) + '\n');
      return EXIT_OK;
    }
    checkOptions(parsed, found.command.options, found.command.words);

    session = new Session(io, {
      dataDir: resolveDataDir({ flag: optionValue(parsed, 'data-dir'), env: io.env }),
      configFile: optionValue(parsed, 'config'),
      passphraseFile: optionValue(parsed, 'passphrase-file'),
      yes: parsed.options.has('yes'),
      plugins,
    });
    const outcome = await found.command.run(session, parsed, found.operand);
    const json = parsed.options.has('json');
    printResult(io, json, outcome.result, outcome.text);
    if (outcome.failure) {
      printError(io, outcome.failure.code, outcome.failure.message);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } catch (err) {
    return reportError(io, err);
  } finally {
    await session?.close().catch((err) => reportError(io, err));
  }
}

/** " (did you mean keyward log list, keyward log verify?)" for a command family named without its subcommand. */
function suggest(first: string): string {
  const family = COMMANDS.filter((c) => c.words[0] === first && c.words.length > 1).map((c) => `keyward ${c.words.join(' ')}`);
  return family.length ? ` (did you mean ${family.join(', ')}?)` : '';
}

function reportError(io: CliIo, err: unknown): number {
  if (err instanceof UsageError) {
    const found = err.command ? findCommand(err.command) : undefined;
    io.stderr.write(`usage error: ${err.message}\n`);
    io.stderr.write(found ? `usage: ${commandUsage(found.command)}\n` : 'run "keyward help" for the commands and options\n');
    return EXIT_USAGE;
  }
  if (err instanceof CommandError) {
    printError(io, err.code, err.message);
    return EXIT_FAILED;
  }
  // Anything else is a defect or an environment failure (a config file that does not parse, a full disk).
  // Its message names files, not secrets: secrets reach only the kernel, which reduces its own errors.
  const e = err as Error;
  printError(io, e?.name === 'KernelError' ? 'E_KERNEL' : 'E_INTERNAL', e?.message ?? String(err));
  return EXIT_FAILED;
}

function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}
