/**
 * `kw-channel-details`: the manual's channel "Details" (set `channelId` to open it): every user
 * with a checkbox for access to the channel, searchable by name or number, plus checking or
 * unchecking every user the search shows. Each change is saved at once (`channels.setMembers`).
 * Fires `changed` (detail: the Channel) after a change and `close` when closed.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { baseStyles, invoke, notify, notifyError } from '../../../src/shell/ui/index.js';
import { compatibilityNote } from './compatibility.js';
import type { MemberToggle } from './member-list.js';
import type { ChannelShow, MembershipResult, UserRow } from './types.js';

/** True when every word of the query occurs in the user's name or number (any case; spaces and dashes in numbers ignored). */
export function matchesUser(u: UserRow, words: string[]): boolean {
  const text = `${u.firstName} ${u.lastName}`.toLowerCase();
  return words.every((w) => text.includes(w) || u.mobile.includes(w.replace(/[\s-]/g, '')));
}

export class KwChannelDetails extends LitElement {
  static override properties = {
    channelId: { type: String },
    channel: { state: true },
    users: { state: true },
    query: { state: true },
    busy: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: contents; }
      .toolbar { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin-bottom: 0.5rem; }
      .toolbar button { padding: 0.35rem 0.7rem; }
      input[type='search'] { font: inherit; flex: 1 1 12rem; box-sizing: border-box; padding: 0.4rem 0.6rem; border: 1px solid var(--kw-border);
                             border-radius: var(--kw-radius); background: #fff; color: var(--kw-text); }
      .counts { color: var(--kw-muted); font-size: 0.9rem; font-variant-numeric: tabular-nums; margin: 0.4rem 0; }
      .id { font-family: var(--kw-mono); font-size: 0.85rem; overflow-wrap: anywhere; }
      .compat { font-size: 0.9rem; border-color: var(--kw-border); }
    `,
  ];
  declare channelId: string | undefined;
  declare channel: ChannelShow | undefined;
  declare users: UserRow[];
  declare query: string;
  declare busy: boolean;
  private members: Set<string> = new Set();
  private shown: UserRow[] = [];

  constructor() {
    super();
    this.channelId = undefined;
    this.channel = undefined;
    this.users = [];
    this.query = '';
    this.busy = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('channelId')) {
      this.channel = undefined;
      this.query = '';
      if (this.channelId) void this.load(this.channelId);
    }
    if (changed.has('channel')) this.members = new Set(this.channel?.members ?? []);
    if (changed.has('users') || changed.has('query')) {
      const words = this.query.toLowerCase().split(/\s+/).filter(Boolean);
      this.shown = words.length ? this.users.filter((u) => matchesUser(u, words)) : this.users;
    }
  }

  private async load(id: string): Promise<void> {
    try {
      const [channel, list] = await Promise.all([
        invoke<ChannelShow>('channels.show', { id }),
        invoke<{ users: UserRow[] }>('users.list', {}),
      ]);
      if (this.channelId !== id) return;
      this.users = list.users
        .map((u) => ({ mobile: u.mobile, firstName: u.firstName, lastName: u.lastName }))
        .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || (a.mobile < b.mobile ? -1 : 1));
      this.channel = channel;
    } catch (err) {
      notifyError(err);
      this.close();
    }
  }

  override render() {
    const c = this.channel;
    return html`<kw-dialog .heading=${c ? `Channel ${c.name}` : 'Channel details'} ?open=${!!this.channelId} @close=${this.close}>
      ${c ? this.renderChannel(c) : html`<p class="muted">Loading…</p>`}
      <button slot="actions" id="channel-details-close" @click=${this.close}>Close</button>
    </kw-dialog>`;
  }

  private renderChannel(c: ChannelShow) {
    const shownMembers = this.shown.filter((u) => this.members.has(u.mobile)).length;
    return html`<p class="hint">Identifier (seen outside the CMS instead of the name): <span class="id" id="channel-id">${c.id}</span><br />
        Keys for ${c.keyPeriods.join(', ') || 'no months'}.</p>
      ${compatibilityNote()}
      <div class="toolbar">
        <input type="search" id="member-search" placeholder="Search name or number" aria-label="Search users" .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} />
        <button id="check-shown" ?disabled=${this.busy || shownMembers === this.shown.length} @click=${() => this.bulk(true)}>Check all shown</button>
        <button id="uncheck-shown" ?disabled=${this.busy || shownMembers === 0} @click=${() => this.bulk(false)}>Uncheck all shown</button>
      </div>
      <p class="counts" id="member-counts" aria-live="polite">${this.members.size.toLocaleString('en-US')} of
        ${this.users.length.toLocaleString('en-US')} users have access${this.query ? ` · ${this.shown.length.toLocaleString('en-US')} shown` : ''}</p>
      <kw-member-list .users=${this.shown} .members=${this.members} ?busy=${this.busy} @toggle=${this.onToggle}></kw-member-list>`;
  }

  private onToggle = (e: CustomEvent<MemberToggle>) => {
    const { mobile, member } = e.detail;
    void this.change(member ? { add: [mobile] } : { remove: [mobile] });
  };

  private bulk(member: boolean): void {
    const mobiles = this.shown.map((u) => u.mobile).filter((m) => this.members.has(m) !== member);
    if (mobiles.length) void this.change(member ? { add: mobiles } : { remove: mobiles });
  }

  private async change(change: { add?: string[]; remove?: string[] }): Promise<void> {
    const c = this.channel;
    if (!c) return;
    this.busy = true;
    try {
      const r = await invoke<MembershipResult>('channels.setMembers', { id: c.id, ...change });
      this.channel = { ...c, members: r.channel.members };
      const parts = [r.added.length ? `${r.added.length} added` : '', r.removed.length ? `${r.removed.length} removed` : ''].filter(Boolean);
      notify(`${c.name}: ${parts.join(', ') || 'no change'}. Takes effect after the next crypto update.`, 'success');
      this.dispatchEvent(new CustomEvent('changed', { detail: r.channel, bubbles: true, composed: true }));
    } catch (err) {
      notifyError(err);
    } finally {
      this.busy = false;
    }
  }

  private close = () => {
    if (!this.channelId) return;
    this.channelId = undefined;
    this.dispatchEvent(new CustomEvent('close'));
  };
}
