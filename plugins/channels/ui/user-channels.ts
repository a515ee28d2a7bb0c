/**
 * `<kw-user-channels mobile="+46…" .channels=${…}>`: User Details → Channels. Every channel with a
 * checkbox: whether the user has access. `channels` is the user's channels as `users.show`
 * gave them; each change is saved at once (`channels.setMembers`).
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { baseStyles, invoke, notify, notifyError } from '../../../src/shell/ui/index.js';
import { CHANNEL_CLIENT_VERSIONS as V } from '../compatibility.js';
import type { ChannelList, ChannelRow, MembershipResult } from './types.js';

export class KwUserChannels extends LitElement {
  static override properties = {
    mobile: { type: String },
    channels: { attribute: false },
    all: { state: true },
    busy: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      ul { list-style: none; padding: 0; margin: 0 0 0.25rem; }
      label { display: flex; gap: 0.5rem; align-items: center; font-weight: normal; margin: 0; padding: 0.1rem 0; }
      input[type='checkbox'] { width: 1rem; height: 1rem; margin: 0; accent-color: var(--kw-accent); }
    `,
  ];
  declare mobile: string | undefined;
  declare channels: { id: string; name: string }[];
  declare all: ChannelRow[] | undefined;
  declare busy: boolean;
  private member = new Set<string>();

  constructor() {
    super();
    this.mobile = undefined;
    this.channels = [];
    this.all = undefined;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('channels')) this.member = new Set((this.channels ?? []).map((c) => c.id));
  }

  private async load(): Promise<void> {
    try {
      this.all = (await invoke<ChannelList>('channels.list', {})).channels;
    } catch (err) {
      notifyError(err);
    }
  }

  override render() {
    if (!this.all) return html`<span class="muted">Loading…</span>`;
    if (!this.all.length) return html`<span class="muted" id="user-no-channels">No channels exist.</span>`;
    return html`<ul>${this.all.map(
        (c) => html`<li><label><input type="checkbox" data-channel=${c.id} .checked=${this.member.has(c.id)} ?disabled=${this.busy}
          @change=${(e: Event) => this.toggle(e, c)} />${c.name}</label></li>`,
      )}</ul>
      <span class="hint">Only for clients that support channels (iPhone ≥ ${V['CCA-i']}, Android ≥ ${V['CCA-a']}, Windows ≥ ${V['CCA-w']});
        takes effect after the next crypto update.</span>`;
  }

  private async toggle(e: Event, c: ChannelRow): Promise<void> {
    const box = e.target as HTMLInputElement;
    const join = box.checked;
    box.checked = this.member.has(c.id);
    const mobile = this.mobile;
    if (!mobile) return;
    this.busy = true;
    try {
      const r = await invoke<MembershipResult>('channels.setMembers', { id: c.id, [join ? 'add' : 'remove']: [mobile] });
      if (r.channel.members.includes(mobile)) this.member.add(c.id);
      else this.member.delete(c.id);
      notify(`${join ? 'Added to' : 'Removed from'} channel ${c.name}. Takes effect after the next crypto update.`, 'success');
    } catch (err) {
      notifyError(err);
    } finally {
      this.busy = false;
    }
  }
}
