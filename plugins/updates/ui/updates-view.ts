/**
 * `kw-updates-view`: the Update menu (manual: "Monthly key updates"). Shows the months a file made
 * now covers and, prominently, the date it must reach the CRS by; generates it to the burner (a
 * disc, or the burn folder of the folder device) with the shell's progress bar; offers the
 * calendar reminder; and sums up what the file carries.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles, invoke, notifyError, runCommand } from '../../../src/shell/ui/index.js';
import { notifyBurned } from '../../devices/burn-notice.js';
import { DeviceStatusController } from '../../devices/status-controller.js';
import type { GenerateResult, UpdateStatus, UpdateSummary } from '../tokens.js';

const longDate = (ymd: string) => new Date(`${ymd}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const longMonth = (ym: string) => new Date(`${ym}-01T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export class KwUpdatesView extends LitElement {
  static override properties = { status: { state: true }, result: { state: true }, busy: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .card { padding: 1rem 1.25rem; margin-bottom: 1rem; }
      .deadline { font-size: 1.35rem; margin: 0.25rem 0 0.5rem; }
      .deadline.late { color: var(--kw-danger); }
      .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; justify-content: flex-start; margin-top: 0.75rem; }
      .actions button { padding: 0.5rem 0.9rem; }
      .muted { color: var(--kw-muted); }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
      dt { color: var(--kw-muted); }
      dd { margin: 0; }
    `,
  ];
  declare status: UpdateStatus | undefined;
  declare result: UpdateSummary | undefined;
  declare busy: boolean;
  private readonly devices = new DeviceStatusController(this);

  constructor() {
    super();
    this.status = undefined;
    this.result = undefined;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      this.status = await invoke<UpdateStatus>('updates.status');
      this.result ??= this.status.last ?? undefined;
    } catch (err) {
      notifyError(err);
    }
  }

  override render() {
    const s = this.status;
    const burner = !!this.devices.status?.burner;
    return html`
      <h1>Monthly key update</h1>
      <section class="card" id="update-deadline">
        ${s
          ? html`<p class="deadline ${s.daysLeft < 0 ? 'late' : ''}" id="deadline">
                Send the update file to the CRS before <strong>${longDate(s.deadline.sendBefore)}</strong>
                ${s.daysLeft >= 0 ? html`(${plural(s.daysLeft, 'day')} left)` : html`(passed — send it at once)`}
              </p>
              <p class="muted" id="months">A file made now covers ${longMonth(s.months[0]!)} and ${longMonth(s.months[1]!)}: the keys of both
                months (made once and reused), the PUKs, channels, connected domains, settings and the CRS address, one
                entry per user and gateway crypto engine, each protected by that endpoint’s update key.</p>`
          : html`<p class="muted">Loading…</p>`}
        <div class="actions">
          <button id="update-burn" class="primary" ?disabled=${!s || !burner || this.busy} @click=${this.generate}
            title=${burner ? `Generate the update file and burn it to ${this.devices.status?.burnerName ?? 'the burner'}` : 'No burner found'}>Generate and burn</button>
          <button id="update-calendar" ?disabled=${this.busy} @click=${this.calendar}>Download calendar reminder (.ics)</button>
        </div>
        <p class="muted">Insert a blank CD (a DVD can take about five minutes to finalise), then send the file to your CRS host from a
          computer connected to the Internet.</p>
      </section>
      ${this.result ? this.summary(this.result) : ''}
    `;
  }

  private summary(r: UpdateSummary) {
    return html`<section class="card" id="update-summary">
      <h2>Last update: ${r.fileName}</h2>
      <dl>
        <dt>Months</dt><dd>${r.months.map(longMonth).join(' and ')}</dd>
        <dt>Send before</dt><dd>${longDate(r.deadline.sendBefore)}</dd>
        <dt>Endpoints</dt><dd id="sum-endpoints">${plural(r.endpoints, 'entry', 'entries')}: ${plural(r.users, 'user')}, ${plural(r.engines, 'gateway crypto engine')}</dd>
        <dt>Blocked</dt><dd id="sum-blocked">${plural(r.blocked, 'credential')}</dd>
        <dt>Peers</dt><dd id="sum-peers">${plural(r.peers, 'connected domain')}, ${r.revokedPeers.toLocaleString('en-US')} revoked</dd>
        <dt>Channels</dt><dd id="sum-channels">${plural(r.channels, 'channel')}</dd>
        <dt>Keys made</dt><dd>${plural(r.keysMade, 'key set')} (the rest existed)</dd>
        <dt>Size</dt><dd>${plural(r.bytes, 'byte')}</dd>
      </dl>
    </section>`;
  }

  private generate = async () => {
    this.busy = true;
    try {
      const r = await runCommand<GenerateResult>('updates.generate', { burn: true });
      if (!r || !('burn' in r)) return;
      notifyBurned(r.burn, `the update file ${r.fileName}`);
      this.result = r;
      await this.load();
    } finally {
      this.busy = false;
      void this.devices.refresh();
    }
  };

  private calendar = async () => {
    const r = await runCommand<{ fileName: string; text: string }>('updates.calendar');
    if (!r) return;
    const url = URL.createObjectURL(new Blob([r.text], { type: 'text/calendar;charset=utf-8' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: r.fileName });
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
}
