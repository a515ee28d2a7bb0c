/**
 * `<kw-letter-actions .mobiles=${[…]}>`: the users view's Print and "Burn PDF" buttons and the
 * Layout button of the user initiation letter (manual: "User Initiation Letters"). Burn PDF is
 * enabled when a burner is present and users are selected; Print when a printer is present.
 * The devices are asked again every few seconds, so inserting a USB stick or disc shows.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles, confirm, runCommand } from '../../../src/shell/ui/index.js';
import { notifyBurned } from '../../devices/burn-notice.js';
import { DeviceStatusController } from '../../devices/status-controller.js';
import type { BurnResult, PrintResult } from '../../devices/tokens.js';

const letters = (n: number) => (n === 1 ? '1 initiation letter' : `${n.toLocaleString('en-US')} initiation letters`);

export class KwLetterActions extends LitElement {
  static override properties = { mobiles: { attribute: false }, busy: { state: true } };
  static override styles = [baseStyles, css`:host { display: contents; } button { padding: 0.4rem 0.8rem; }`];
  declare mobiles: string[];
  declare busy: boolean;
  private readonly devices = new DeviceStatusController(this);

  constructor() {
    super();
    this.mobiles = [];
    this.busy = false;
  }

  override render() {
    const n = this.mobiles.length;
    const printer = !!this.devices.status?.printer;
    const burner = !!this.devices.status?.burner;
    return html`<button id="letters-print" ?disabled=${!n || !printer || this.busy} @click=${this.print}
        title=${printer ? 'Print the selected users’ initiation letters' : 'No printer found'}>Print</button>
      <button id="letters-burn" ?disabled=${!n || !burner || this.busy} @click=${this.burn}
        title=${burner ? `Burn the selected users’ initiation letters as PDF to ${this.devices.status?.burnerName ?? 'the burner'}` : 'No burner found'}>Burn PDF</button>
      <kw-layout-button layout="letters.user-initiation"></kw-layout-button>`;
  }

  /** The letters carry private keys: the administrator says yes knowing that. */
  private ask(action: string, where: string): Promise<boolean> {
    return confirm({
      title: `${action} ${letters(this.mobiles.length)}`,
      message: `The initiation letters contain the users’ private keys and must be protected accordingly. They go to ${where} and are kept nowhere else.`,
      confirmLabel: action,
      destructive: false,
    });
  }

  private print = async () => {
    if (!(await this.ask('Print', this.devices.status?.printerName ?? 'the printer'))) return;
    await this.run(() =>
      runCommand<PrintResult>('letters.print', { mobiles: this.mobiles }, { success: (r) => `Sent ${letters(r.printed.length)} to ${r.destination}.` }),
    );
  };

  private burn = async () => {
    if (!(await this.ask('Burn', this.devices.status?.burnerName ?? 'the burner'))) return;
    await this.run(async () => {
      const r = await runCommand<BurnResult & { volumeLabel: string }>('letters.burn', { mobiles: this.mobiles });
      if (!r) return;
      notifyBurned(r, letters(r.written.length));
    });
  };

  private async run(action: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    try {
      await action();
    } finally {
      this.busy = false;
      void this.devices.refresh();
    }
  }
}
