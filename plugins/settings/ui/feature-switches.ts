/**
 * `<kw-feature-switches .settings=${…}>`: Settings → Features (manual, "Settings and compatibility").
 * Each switch with the manual's compatibility table and note beside it; switching on a feature that
 * blocks client versions asks first, naming them. Message lifetime: off, or a maximum and a default.
 * Fires `settings-changed` after every stored change.
 */
import { LitElement, css, html } from 'lit';
import { live } from 'lit/directives/live.js';
import { baseStyles, confirm, invoke, InvokeError, notify, notifyError } from '../../../src/shell/ui/index.js';
import type { FeaturesResult, SettingsView } from '../commands.js';
import type { JsonValue } from '../../../src/kernel/api.js';
import { compatibilityOf, type CompatibilityFeature } from '../compatibility.js';
import { MESSAGE_LIFETIME_MAX_SECONDS, MESSAGE_LIFETIME_MIN_SECONDS, describeDuration } from '../lifetime.js';
import type { DomainFeatures } from '../tokens.js';
import { blockingQuestion, compatTable } from './compat-table.js';
import { fieldProblem } from './field-problem.js';

const UNITS = [
  ['days', 86_400],
  ['hours', 3600],
  ['minutes', 60],
] as const;
type Unit = (typeof UNITS)[number][0];
const unitSeconds = (u: Unit) => UNITS.find(([n]) => n === u)![1];

/** The largest unit that shows `seconds` as a whole number. */
function split(seconds: number): { value: number; unit: Unit } {
  const [unit, size] = UNITS.find(([, s]) => seconds % s === 0) ?? UNITS[2];
  return { value: seconds / size, unit };
}

type Switch = 'authorisedIntercept' | 'multipath' | 'channels';
const SWITCHES: { id: Switch; label: string }[] = [
  { id: 'authorisedIntercept', label: 'Authorized intercept with minimal key exposure' },
  { id: 'multipath', label: 'Multipath networking' },
  { id: 'channels', label: 'Channels' },
];

export class KwFeatureSwitches extends LitElement {
  static override properties = {
    settings: { attribute: false },
    busy: { state: true },
    lifetimeOn: { state: true },
    problems: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .feature { display: grid; grid-template-columns: minmax(16rem, 1fr) minmax(20rem, 1.2fr); gap: 0.5rem 1.5rem; padding: 1rem 0; border-top: 1px solid #e2e6ea; }
      .feature:first-of-type { border-top: none; }
      .switch { display: flex; gap: 0.5rem; align-items: center; font-weight: 600; margin: 0 0 0.4rem; }
      .switch input { width: 1.1rem; height: 1.1rem; margin: 0; accent-color: var(--kw-accent); }
      .note { font-size: 0.9rem; color: var(--kw-muted); margin: 0; }
      table.compat { font-size: 0.85rem; align-self: start; }
      table.compat caption { font-size: 0.85rem; padding-top: 0; }
      table.compat td, table.compat th { padding: 0.25rem 0.45rem; }
      .lifetime { display: flex; gap: 0.75rem; align-items: flex-start; flex-wrap: wrap; margin: 0.5rem 0; }
      .lifetime .field { margin: 0; }
      .duration { display: flex; gap: 0.35rem; }
      .duration input { width: 6rem; }
      .duration select { width: auto; }
      .legend { font-size: 0.85rem; color: var(--kw-muted); }
      #lifetime-save { margin-top: 0.5rem; }
    `,
  ];
  declare settings: SettingsView | undefined;
  declare busy: boolean;
  /** The lifetime checkbox as the administrator left it (saved with the inputs). */
  declare lifetimeOn: boolean | undefined;
  /** Field errors from the last save, by field name. */
  declare problems: Record<string, string>;

  constructor() {
    super();
    this.settings = undefined;
    this.busy = false;
    this.lifetimeOn = undefined;
    this.problems = {};
  }

  override render() {
    const f = this.settings?.features;
    if (!f) return html`<p class="muted">Loading…</p>`;
    return html`
      ${this.renderLifetime(f)}
      ${SWITCHES.map((s) => this.renderSwitch(s.id, s.label, f[s.id]))}
      <div class="feature" data-feature="qrProtection">
        <div>
          <label class="switch"><input type="checkbox" id="switch-qrProtection" .checked=${live(f.qrProtection)} ?disabled=${this.busy}
            @change=${(e: Event) => this.apply({ qrProtection: (e.target as HTMLInputElement).checked })} /> QR protection</label>
          <p class="note">Initiation-letter QR codes are encrypted (AES-128-CBC and HMAC-SHA-256) under each user’s QR Code Key, which the user
            enters after scanning; the key is shown under User Details.
            ${this.settings?.qrProtectionSet ? '' : html`<strong>Not set here yet:</strong> the deployment’s default applies.`}</p>
        </div>
        <div></div>
      </div>
      <p class="legend">CCA-i: Cryptify Call for iPhone · CCA-a: Cryptify Call for Android · CCA-w: Cryptify Call for Windows ·
        CIG: Cryptify Interconnect Gateway · N/A: not applicable. Devices receive the settings with the next monthly update.</p>
    `;
  }

  private renderSwitch(id: Switch, label: string, on: boolean) {
    return html`<div class="feature" data-feature=${id}>
      <div>
        <label class="switch"><input type="checkbox" id=${`switch-${id}`} .checked=${live(on)} ?disabled=${this.busy}
          @change=${(e: Event) => this.apply({ [id]: (e.target as HTMLInputElement).checked })} /> ${label}</label>
        <p class="note">${compatibilityOf(id).note}</p>
      </div>
      ${compatTable(id)}
    </div>`;
  }

  private renderLifetime(f: DomainFeatures) {
    const stored = f.messageLifetime;
    const on = this.lifetimeOn ?? stored !== null;
    const max = split(stored?.maxSeconds ?? 30 * 86_400);
    const def = split(stored?.defaultSeconds ?? 12 * 3600);
    return html`<div class="feature" data-feature="messageLifetime">
      <form id="lifetime-form" novalidate @submit=${this.saveLifetime}>
        <label class="switch"><input type="checkbox" id="lifetime-on" .checked=${live(on)} ?disabled=${this.busy}
          @change=${(e: Event) => (this.lifetimeOn = (e.target as HTMLInputElement).checked)} /> Message lifetime</label>
        ${on
          ? html`<div class="lifetime">
              ${this.duration('max', 'Maximum', max)}
              ${this.duration('default', 'Default', def)}
            </div>
            <span class="hint">Messages expire after the default unless the sender picks another lifetime from
              ${describeDuration(MESSAGE_LIFETIME_MIN_SECONDS)} up to the maximum (at most ${describeDuration(MESSAGE_LIFETIME_MAX_SECONDS)}).</span>`
          : html`<p class="note">Off: messages do not expire.</p>`}
        <p class="note">${compatibilityOf('messageLifetime').note}</p>
        <button type="submit" class="primary" id="lifetime-save" ?disabled=${this.busy}>Save message lifetime</button>
      </form>
      ${compatTable('messageLifetime')}
    </div>`;
  }

  private duration(which: 'max' | 'default', label: string, initial: { value: number; unit: Unit }) {
    const field = `messageLifetime.${which === 'max' ? 'maxSeconds' : 'defaultSeconds'}`;
    const problem = this.problems[field];
    return html`<div class="field">
      <label for=${`lifetime-${which}`}>${label}</label>
      <div class="duration">
        <input id=${`lifetime-${which}`} type="number" min="1" step="1" .value=${String(initial.value)}
          aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${problem ? `lifetime-${which}-error` : ''} />
        <select id=${`lifetime-${which}-unit`} aria-label=${`${label} unit`}>
          ${UNITS.map(([u]) => html`<option value=${u} ?selected=${u === initial.unit}>${u}</option>`)}
        </select>
      </div>
      ${problem ? html`<span class="error-text" id=${`lifetime-${which}-error`} role="alert">${problem}</span>` : null}
    </div>`;
  }

  private seconds(which: 'max' | 'default'): number {
    const value = Number(this.renderRoot.querySelector<HTMLInputElement>(`#lifetime-${which}`)!.value);
    const unit = this.renderRoot.querySelector<HTMLSelectElement>(`#lifetime-${which}-unit`)!.value as Unit;
    return value * unitSeconds(unit);
  }

  private async saveLifetime(e: Event): Promise<void> {
    e.preventDefault();
    const on = this.lifetimeOn ?? this.settings!.features.messageLifetime !== null;
    await this.apply({ messageLifetime: on ? { maxSeconds: this.seconds('max'), defaultSeconds: this.seconds('default') } : null });
  }

  /**
   * Store a change. The plugin checks it first; when it would switch on a feature that blocks
   * client versions (`E_CONFIRM`), the administrator is asked, naming them, before it is sent again.
   */
  private async apply(patch: Record<string, JsonValue>): Promise<void> {
    this.busy = true;
    this.problems = {};
    try {
      let r: FeaturesResult;
      try {
        r = await invoke<FeaturesResult>('settings.setFeatures', patch);
      } catch (err) {
        if (!(err instanceof InvokeError) || err.code !== 'E_CONFIRM') throw err;
        const [feature] = Object.keys((err.details as { blocked: Record<string, string[]> }).blocked) as CompatibilityFeature[];
        if (!(await confirm(blockingQuestion(feature!)))) {
          this.requestUpdate(); // `live` puts the switch back
          return;
        }
        r = await invoke<FeaturesResult>('settings.setFeatures', { ...patch, confirmBlocking: true });
      }
      this.lifetimeOn = undefined;
      notify(Object.keys(r.changed).length ? 'Saved. Devices receive the settings with the next monthly update.' : 'Nothing changed.', 'success');
      this.dispatchEvent(new CustomEvent('settings-changed', { bubbles: true, composed: true }));
    } catch (err) {
      const problem = fieldProblem(err, 'messageLifetime.');
      if (problem) this.problems = problem;
      else notifyError(err);
      this.requestUpdate();
    } finally {
      this.busy = false;
    }
  }
}
