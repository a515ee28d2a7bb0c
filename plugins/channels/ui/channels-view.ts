/**
 * `kw-channels-view`: the Channels menu (manual: "Channel management"). A name and "+" add a
 * channel (up to 50); each channel has Details (members) and Delete (after a confirmation that
 * conversations on devices are not deleted). The compatibility note says who may be added.
 */
import { LitElement, css, html } from 'lit';
import { InvokeError, baseStyles, invoke, notify, notifyError, runCommand } from '../../../src/shell/ui/index.js';
import { compatibilityNote } from './compatibility.js';
import type { Channel, ChannelList, ChannelRow } from './types.js';

export class KwChannelsView extends LitElement {
  static override properties = {
    list: { state: true },
    problem: { state: true },
    details: { state: true },
    busy: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .add { padding: 1rem 1.25rem; margin-bottom: 1rem; }
      .add h2 { font-size: 1rem; margin-bottom: 0.5rem; }
      .add form { display: flex; gap: 0.5rem; align-items: flex-start; }
      .add .field { flex: 0 1 24rem; margin: 0; }
      .add button { font-size: 1.1rem; padding: 0.3rem 0.9rem; }
      .counts { color: var(--kw-muted); font-size: 0.9rem; margin: 0.5rem 0 0; }
      .id { font-family: var(--kw-mono); font-size: 0.85rem; color: var(--kw-muted); }
      td { vertical-align: middle; }
      td.num { font-variant-numeric: tabular-nums; }
      td.act { white-space: nowrap; text-align: right; }
      .compat { border-color: var(--kw-border); background: #f6f8fa; }
    `,
  ];
  declare list: ChannelList | undefined;
  declare problem: string;
  declare details: string | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.list = undefined;
    this.problem = '';
    this.details = undefined;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      this.list = await invoke<ChannelList>('channels.list', {});
    } catch (err) {
      notifyError(err);
    }
  }

  override render() {
    const l = this.list;
    const full = !!l && l.total >= l.limit;
    return html`<h1>Channels</h1>
      <p>Channels are messaging groups that scale to thousands of users. Outside the CMS a channel is known by its random identifier;
        its name reaches only its members, never the CRS.</p>
      ${compatibilityNote()}
      <div class="card add">
        <h2>Add channel</h2>
        <form @submit=${this.add} novalidate>
          <div class="field">
            <input id="channel-name" aria-label="Channel name" placeholder="Channel name" autocomplete="off" ?disabled=${full}
              aria-invalid=${this.problem ? 'true' : 'false'} aria-describedby=${this.problem ? 'channel-name-error' : ''}
              @input=${() => (this.problem = '')} />
            ${this.problem ? html`<span class="error-text" id="channel-name-error" role="alert">${this.problem}</span>` : null}
          </div>
          <button class="primary" id="channel-add" type="submit" aria-label="Add channel" ?disabled=${full || this.busy}>+</button>
        </form>
        <p class="counts" id="channel-counts">${l ? `${l.total} of at most ${l.limit} channels${full ? ': delete one to add another' : ''}` : 'Loading…'}</p>
      </div>
      ${l?.total
        ? html`<table id="channels">
            <thead><tr><th scope="col">Name</th><th scope="col">Members</th><th scope="col">Identifier</th><th scope="col"><span class="muted">Actions</span></th></tr></thead>
            <tbody>${l.channels.map((c) => this.renderRow(c))}</tbody>
          </table>`
        : l ? html`<p class="muted" id="no-channels">No channels yet: enter a name above and press +.</p>` : null}
      <kw-channel-details .channelId=${this.details} @close=${() => (this.details = undefined)} @changed=${() => this.load()}></kw-channel-details>`;
  }

  private renderRow(c: ChannelRow) {
    return html`<tr data-channel=${c.id}>
      <td class="name">${c.name}</td>
      <td class="num">${c.memberCount.toLocaleString('en-US')}</td>
      <td class="id">${c.id}</td>
      <td class="act">
        <button class="details" aria-label="Details of ${c.name}" @click=${() => (this.details = c.id)}>Details</button>
        <button class="delete" aria-label="Delete ${c.name}" @click=${() => this.deleteChannel(c)}>Delete</button>
      </td>
    </tr>`;
  }

  private add = async (e: Event) => {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#channel-name')!;
    this.busy = true;
    try {
      const c = await invoke<Channel>('channels.add', { name: input.value });
      input.value = '';
      this.problem = '';
      notify(`Channel ${c.name} added with keys for this month and the next. Add members with Details.`, 'success');
      await this.load();
    } catch (err) {
      // A bad or taken name is shown at the field; anything else (the limit) as a notification.
      if (err instanceof InvokeError && (err.code === 'E_INVALID_FIELD' || err.code === 'E_NAME_IN_USE')) this.problem = err.message.replace(/^name: /, '');
      else notifyError(err);
    } finally {
      this.busy = false;
    }
  };

  private async deleteChannel(c: ChannelRow): Promise<void> {
    const done = await runCommand<Channel>('channels.delete', { id: c.id }, {
      confirm: {
        title: `Delete channel ${c.name}?`,
        message: `The channel ${c.name} and its keys are deleted; its ${c.memberCount} member(s) lose access after the next crypto update.`,
        details: ['Conversations in the channel on end-user devices are not deleted.'],
        confirmLabel: 'Delete channel',
      },
      success: (r) => `Channel ${r.name} deleted.`,
    });
    if (done) await this.load();
  }
}
