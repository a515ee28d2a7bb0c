/**
 * `kw-gateways-view`: the Gateways menu (manual: "Add a Gateway (CIG)", "Gateway Initiation
 * Letters", "Delete a gateway (CIG)", "Modify a gateway (CIG)"). The Add Gateway row (the
 * browser's own validation is off so the plugin's reasons, e.g. the manual's on engines, show), the list
 * with a checkbox per gateway, and the actions on the selection: Edit (one gateway), Delete,
 * Print and Burn PDF (enabled only with a burner and a selection), and the letter's Layout.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles, invoke, notify, notifyError, runCommand } from '../../../src/shell/ui/index.js';
import { notifyBurned } from '../../devices/burn-notice.js';
import { DeviceStatusController } from '../../devices/status-controller.js';
import type { BurnResult, PrintResult } from '../../devices/tokens.js';
import { MIN_ENGINES } from '../limits.js';
import type { GatewaySummary } from '../tokens.js';

const engines = (n: number) => (n === 1 ? '1 crypto engine' : `${n} crypto engines`);

export class KwGatewaysView extends LitElement {
  static override properties = {
    gateways: { state: true },
    selected: { state: true },
    editing: { state: true },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .add, .edit { padding: 1rem 1.25rem; margin-bottom: 1rem; }
      .row { display: flex; gap: 0.75rem; align-items: flex-end; flex-wrap: wrap; }
      .row .field { margin-bottom: 0; flex: 1 1 10rem; }
      .row .engines { flex: 0 0 8rem; }
      .toolbar { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin-bottom: 0.5rem; }
      .toolbar button { padding: 0.4rem 0.8rem; }
      .toolbar .spacer { margin-right: auto; }
      td.check, th.check { width: 2rem; }
      .empty { color: var(--kw-muted); padding: 1rem 0; }
    `,
  ];
  declare gateways: GatewaySummary[];
  declare selected: Set<string>;
  declare editing: GatewaySummary | undefined;
  declare busy: boolean;
  declare error: string;
  private readonly devices = new DeviceStatusController(this);

  constructor() {
    super();
    this.gateways = [];
    this.selected = new Set();
    this.editing = undefined;
    this.busy = false;
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      this.gateways = (await invoke<{ gateways: GatewaySummary[] }>('gateways.list')).gateways;
      const ids = new Set(this.gateways.map((g) => g.id));
      this.selected = new Set([...this.selected].filter((id) => ids.has(id)));
    } catch (err) {
      notifyError(err);
    }
  }

  override render() {
    const n = this.selected.size;
    const one = n === 1 ? this.gateways.find((g) => this.selected.has(g.id)) : undefined;
    const printer = !!this.devices.status?.printer;
    const burner = !!this.devices.status?.burner;
    return html`
      <h1>Gateways</h1>
      <form class="card add" id="add-gateway" novalidate @submit=${this.add}>
        <h2>Add Gateway</h2>
        <div class="row">
          <div class="field"><label for="gw-name">Name</label><input id="gw-name" name="name" required autocomplete="off"></div>
          <div class="field"><label for="gw-number">Number (tel URI, international format)</label>
            <input id="gw-number" name="number" required placeholder="+8888" autocomplete="off"></div>
          <div class="field engines"><label for="gw-engines">Crypto Engines</label>
            <input id="gw-engines" name="engines" type="number" min=${MIN_ENGINES} value=${MIN_ENGINES} required></div>
          <button class="primary" id="gw-add" type="submit" ?disabled=${this.busy} aria-label="Add gateway">+</button>
        </div>
        <span class="hint">At least ${MIN_ENGINES} crypto engines; the number must start with “+”, e.g. +8888.</span>
        ${this.error ? html`<span class="error-text" role="alert">${this.error}</span>` : ''}
      </form>
      ${this.editing ? this.renderEdit(this.editing) : ''}
      <div class="toolbar">
        <span class="muted spacer">${this.gateways.length} gateway(s), ${n} selected</span>
        <button id="gw-edit" ?disabled=${!one || this.busy} @click=${() => (this.editing = one)}>Edit</button>
        <button id="gw-delete" ?disabled=${!n || this.busy} @click=${this.delete}>Delete</button>
        <button id="gw-print" ?disabled=${!n || !printer || this.busy} @click=${this.print}
          title=${printer ? 'Print the selected gateways’ initiation letters' : 'No printer found'}>Print</button>
        <button id="gw-burn" ?disabled=${!n || !burner || this.busy} @click=${this.burn}
          title=${burner ? `Burn the selected gateways’ initiation letters as PDF to ${this.devices.status?.burnerName ?? 'the burner'}` : 'No burner found'}>Burn PDF</button>
        <kw-layout-button layout="letters.gateway-initiation"></kw-layout-button>
      </div>
      ${this.gateways.length
        ? html`<table id="gw-list">
            <thead><tr><th class="check"><span class="muted">✓</span></th><th>Name</th><th>Number</th><th>Crypto Engines</th><th>Revoked engines</th></tr></thead>
            <tbody>
              ${this.gateways.map(
                (g) => html`<tr data-id=${g.id}>
                  <td class="check"><input type="checkbox" aria-label=${`Select ${g.name}`} .checked=${this.selected.has(g.id)}
                    @change=${(e: Event) => this.toggle(g.id, (e.target as HTMLInputElement).checked)}></td>
                  <td>${g.name}</td><td class="mono">${g.number}</td><td>${g.engines.length}</td><td>${g.revokedEngines.length || ''}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="empty">No gateways yet.</p>`}
    `;
  }

  private renderEdit(g: GatewaySummary) {
    return html`<form class="card edit" id="edit-gateway" novalidate @submit=${this.save}>
      <h2>Edit ${g.name} (${g.number})</h2>
      <div class="row">
        <div class="field"><label for="gw-edit-name">Name</label><input id="gw-edit-name" name="name" required .value=${g.name}></div>
        <div class="field engines"><label for="gw-edit-engines">Crypto Engines</label>
          <input id="gw-edit-engines" name="engines" type="number" min=${MIN_ENGINES} required .value=${String(g.engines.length)}></div>
        <button class="primary" id="gw-save" type="submit" ?disabled=${this.busy}>Save</button>
        <button type="button" @click=${() => (this.editing = undefined)}>Cancel</button>
      </div>
      <span class="hint">Added engines get new credentials (print their letters); removed engines are revoked in the next crypto update.</span>
      <table id="gw-engines-list">
        <thead><tr><th>Engine</th><th>Id</th><th>Since</th><th></th></tr></thead>
        <tbody>
          ${g.engines.map(
            (e, i) => html`<tr data-engine=${e.id}>
              <td>${i + 1}</td><td class="mono">${e.id.slice(0, 8)}…</td><td>${e.createdAt.slice(0, 10)}</td>
              <td><button type="button" class="reinit" ?disabled=${this.busy} @click=${() => this.reinitiate(g, e.id, i + 1)}>Re-initiate</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </form>`;
  }

  /** One engine suspected compromised or lost: revoke it and give its place new credentials, the others untouched. */
  private async reinitiate(g: GatewaySummary, engineId: string, n: number): Promise<void> {
    await this.run(async () => {
      const r = await runCommand<{ gateway: GatewaySummary; added: string[]; revoked: string[] }>(
        'gateways.edit',
        { id: g.id, replace: [engineId] },
        {
          confirm: {
            title: `Re-initiate crypto engine ${n} of ${g.name}`,
            message: `Engine ${n} gets new credentials; its current ones are revoked in the next crypto update.`,
            details: ['Print or burn the gateway letter for the new engine and provision it.', 'The other engines keep their credentials.'],
            confirmLabel: 'Re-initiate',
          },
          success: (r) => `Engine ${n} of ${r.gateway.name} re-initiated; print its new letter.`,
        },
      );
      if (r) this.editing = r.gateway;
      await this.load();
    });
  }

  private toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  private add = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    this.error = '';
    await this.run(async () => {
      try {
        const g = await invoke<GatewaySummary>('gateways.add', {
          name: String(data.get('name') ?? ''),
          number: String(data.get('number') ?? ''),
          engines: Number(data.get('engines')),
        });
        notify(`Added gateway ${g.name} (${g.number}) with ${engines(g.engines.length)}.`, 'success');
        form.reset();
        await this.load();
      } catch (err) {
        this.error = err instanceof Error ? err.message : String(err);
      }
    });
  };

  private save = async (e: Event) => {
    e.preventDefault();
    const g = this.editing;
    if (!g) return;
    const data = new FormData(e.target as HTMLFormElement);
    await this.run(async () => {
      const r = await runCommand<{ gateway: GatewaySummary; added: string[]; revoked: string[] }>(
        'gateways.edit',
        { id: g.id, name: String(data.get('name') ?? ''), engines: Number(data.get('engines')) },
        { success: (r) => `Saved ${r.gateway.name}: ${engines(r.gateway.engines.length)}${r.added.length ? `, ${r.added.length} added` : ''}${r.revoked.length ? `, ${r.revoked.length} to be revoked` : ''}.` },
      );
      if (r) this.editing = undefined;
      await this.load();
    });
  };

  private delete = async () => {
    const chosen = this.gateways.filter((g) => this.selected.has(g.id));
    await this.run(async () => {
      const r = await runCommand<{ deleted: GatewaySummary[] }>('gateways.delete', { ids: chosen.map((g) => g.id) }, {
        confirm: {
          title: chosen.length === 1 ? `Delete gateway ${chosen[0]!.name}` : `Delete ${chosen.length} gateways`,
          message: `This deletes ${chosen.map((g) => `${g.name} (${g.number})`).join(', ')} and all keys of their numbers. It cannot be undone.`,
          confirmLabel: 'Delete',
        },
        success: (r) => `Deleted ${r.deleted.length} gateway(s) and their keys.`,
      });
      if (r && this.editing && r.deleted.some((g) => g.id === this.editing!.id)) this.editing = undefined;
      await this.load();
    });
  };

  /** The letters carry the gateways' private keys: the administrator says yes knowing that. */
  private letterQuestion(action: string, where: string) {
    const n = this.selected.size;
    return {
      title: `${action} ${n === 1 ? 'the initiation letter of 1 gateway' : `the initiation letters of ${n} gateways`}`,
      message: `The initiation letters contain the gateways’ private keys (one QR code per crypto engine) and must be protected accordingly. They go to ${where} and are kept nowhere else.`,
      confirmLabel: action,
      destructive: false,
    };
  }

  private print = async () => {
    await this.run(() =>
      runCommand<PrintResult>('gateways.letters', { ids: [...this.selected], print: true }, {
        confirm: this.letterQuestion('Print', this.devices.status?.printerName ?? 'the printer'),
        success: (r) => `Sent ${r.printed.length} letter file(s) to ${r.destination}.`,
      }),
    );
  };

  private burn = async () => {
    await this.run(async () => {
      const r = await runCommand<BurnResult & { volumeLabel: string }>('gateways.letters', { ids: [...this.selected], burn: true }, {
        confirm: this.letterQuestion('Burn', this.devices.status?.burnerName ?? 'the burner'),
      });
      if (!r) return;
      notifyBurned(r, r.written.length === 1 ? '1 letter file' : `${r.written.length} letter files`);
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
