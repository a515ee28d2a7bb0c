/** Usage text, built from the command table so it never drifts from what is accepted. */
import { COMMANDS, type CliCommand } from './commands.js';

const GLOBAL_USAGE = 'keyward [--data-dir D] [--config F] [--passphrase-file F] <command> [options] [--json] [--yes]';

export function commandUsage(c: CliCommand): string {
  return ['keyward', ...c.words, c.operand, c.usage, '[--json]'].filter(Boolean).join(' ');
}

/** The full help: global form, commands, where the data and the passphrase come from. */
export function fullUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.words.join(' ').length + (c.operand ? c.operand.length + 1 : 0)));
  const list = COMMANDS.map((c) => `  ${[...c.words, c.operand].filter(Boolean).join(' ').padEnd(width)}  ${c.summary}`);
  return [
    `usage: ${GLOBAL_USAGE}`,
    '',
    'commands:',
    ...list,
    '',
    'options:',
    '  --data-dir D         the installation (default: KEYWARD_DATA_DIR, else the per-user app data folder)',
    '  --config F           deployment config (default: <data dir>/keyward.config.json)',
    '  --passphrase-file F  administrator passphrase (default: KEYWARD_PASSPHRASE, else a hidden prompt)',
    '  --json               print the result as JSON',
    '  --yes                confirm destructive commands without asking',
    '',
    'exit codes: 0 success, 1 the command failed, 2 the command line is wrong',
    'run "keyward help <command>" for one command',
  ].join('\n');
}

/** One command's usage line and summary. */
export function helpFor(c: CliCommand): string {
  return `usage: ${commandUsage(c)}\n\n${c.summary}`;
}
