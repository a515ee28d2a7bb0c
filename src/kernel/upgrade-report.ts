/**
 * What an unlock upgraded, as `kernel.unlock` returns it (`upgraded`), and how the shell and the
 * CLI word it for the administrator. No Node imports: the web bundle uses it too.
 */

/** One collection's upgrade. */
export interface UpgradeStep {
  name: string;
  from: number;
  to: number;
}

export interface UpgradeReport {
  /** The automatic backup of the old files, relative to the data dir: `upgrade-backups/<time>-v<from>-v<to>`. */
  backup: string;
  collections: UpgradeStep[];
}

export function upgradeNotice(report: UpgradeReport): string {
  const changed = report.collections.map((c) => `${c.name} ${c.from} → ${c.to}`).join(', ');
  return `The data was brought up to date for this version of Keyward (${changed}). The old files are kept in the data dir under ${report.backup} (docs/upgrade.md says how to go back).`;
}
