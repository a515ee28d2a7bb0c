/**
 * The install wizard (`kw-wizard`), shown while the kernel is 'uninitialised'. It collects
 * the manual's "Pre-installation" information — licence settings, Security Domain, CRS
 * settings — and the administrator passphrase, then runs `kernel.init`, which creates the
 * vault and the domain master keys. Fires `kw-state-changed` when the system is ready.
 */
import { LitElement, css, html, type TemplateResult } from 'lit';
import type { CommandInfo, JsonValue, SetupPayload } from '../../kernel/api.js';
import { InvokeError, invoke } from './bridge.js';
import { notify, notifyError } from './notify.js';
import { MIN_PASSPHRASE_LENGTH, passphraseStrength } from '../../kernel/passphrase-policy.js';
import { baseStyles } from './styles.js';

type Step = 'start' | 'restore' | 'license' | 'domain' | 'crs' | 'passphrase' | 'review';
const STEPS: { id: Step; label: string }[] = [
  { id: 'start', label: 'Start' },
  { id: 'license', label: 'License settings' },
  { id: 'domain', label: 'Security Domain' },
  { id: 'crs', label: 'CRS settings' },
  { id: 'passphrase', label: 'Administrator passphrase' },
  { id: 'review', label: 'Review' },
];

interface WizardData {
  systemId: string;
  licenseKey: string;
  securityDomain: string;
  crsAddress: string;
  crsAccount: string;
  crsSecret: string;
  passphrase: string;
  passphrase2: string;
  /** The fingerprint of a compromised installation this one replaces (manual: "Compromised recovery – CMS"). */
  compromised: string;
}
type Field = keyof WizardData;

/** Where a `kernel.init` error's `details.field` (a SetupPayload path) is entered. */
const SETUP_FIELDS: Record<string, { field: Field; step: Step }> = {
  systemId: { field: 'systemId', step: 'license' },
  licenseKey: { field: 'licenseKey', step: 'license' },
  securityDomain: { field: 'securityDomain', step: 'domain' },
  'crs.address': { field: 'crsAddress', step: 'crs' },
  'crs.account': { field: 'crsAccount', step: 'crs' },
  'crs.secret': { field: 'crsSecret', step: 'crs' },
  passphrase: { field: 'passphrase', step: 'passphrase' },
  compromisedDomains: { field: 'compromised', step: 'domain' },
};

/**
 * "Restore from backup" is offered once the backup plugin registers this command and
 * defines this element; the element runs the restore and fires `kw-state-changed`.
 */
const RESTORE_COMMAND = 'backup.restore';
const RESTORE_ELEMENT = 'kw-backup-restore';

export class KwWizard extends LitElement {
  static override properties = {
    step: { state: true },
    data: { state: true },
    errors: { state: true },
    revealSecret: { state: true },
    restoreAvailable: { state: true },
    busy: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
      ol.steps { list-style: none; display: flex; flex-wrap: wrap; gap: 0.35rem 1.1rem; padding: 0; margin: 0 0 1.25rem; font-size: 0.9rem; }
      ol.steps li { color: var(--kw-muted); }
      ol.steps li[aria-current='step'] { color: var(--kw-accent); font-weight: 600; }
      ol.steps li.done { color: var(--kw-text); }
      .secret-row { display: flex; gap: 0.5rem; }
      .secret-row input { flex: 1; }
      input.mono { font-family: var(--kw-mono); letter-spacing: 0.04em; }
      .choices { display: grid; gap: 0.75rem; margin: 1rem 0; }
      .choice { text-align: left; padding: 0.9rem 1rem; }
      .choice strong { display: block; }
      .strength { font-size: 0.9rem; margin: -0.75rem 0 1rem; min-height: 1.35rem; }
      .strength[data-level='strong'] { color: var(--kw-success); }
      .strength[data-level='weak'], .strength[data-level='too-short'] { color: var(--kw-danger); }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1.25rem; margin: 0; }
      dt { font-weight: 600; }
      dd { margin: 0; overflow-wrap: anywhere; }
      .after-list { margin-top: 1rem; }
      .manual { border-left: 4px solid var(--kw-border); padding-left: 0.9rem; color: var(--kw-muted); }
    `,
  ];

  declare step: Step;
  declare data: WizardData;
  declare errors: Partial<Record<Field, string>>;
  declare revealSecret: boolean;
  declare restoreAvailable: boolean;
  declare busy: boolean;
  private restoreElement?: HTMLElement;

  constructor() {
    super();
    this.step = 'start';
    this.data = { systemId: '', licenseKey: '', securityDomain: '', crsAddress: '', crsAccount: '', crsSecret: '', passphrase: '', passphrase2: '', compromised: '' };
    this.errors = {};
    this.revealSecret = false;
    this.restoreAvailable = false;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    invoke<CommandInfo[]>('kernel.commands')
      .then((list) => (this.restoreAvailable = list.some((c) => c.id === RESTORE_COMMAND) && !!customElements.get(RESTORE_ELEMENT)))
      .catch(() => undefined);
  }

  override render() {
    const index = STEPS.findIndex((s) => s.id === this.step);
    return html`<main class="card" aria-labelledby="title">
      <h1 id="title">Install Keyward</h1>
      <ol class="steps" aria-label="Steps">
        ${STEPS.map((s, i) => html`<li aria-current=${i === index ? 'step' : 'false'} class=${i < index ? 'done' : ''}>${i + 1}. ${s.label}</li>`)}
      </ol>
      ${this.step === 'restore'
        ? html`${(this.restoreElement ??= document.createElement(RESTORE_ELEMENT))}
            <div class="actions"><button type="button" id="back" @click=${() => this.go('start')}>Back</button></div>`
        : html`<form novalidate @submit=${this.onSubmit} @input=${this.onInput}>${this.renderStep()}</form>`}
    </main>`;
  }

  private renderStep(): TemplateResult {
    switch (this.step as Exclude<Step, 'restore'>) {
      case 'start':
        return html`<h2>Welcome</h2>
          <p>Keyward is set up once on this computer. Have the license settings from your supplier and the CRS settings from the CRS host at hand.</p>
          <div class="choices">
            <button type="submit" class="choice primary" id="new-installation">
              <strong>New installation</strong>Create a new Security Domain with new master keys.
            </button>
            <button type="button" class="choice" id="restore" ?disabled=${!this.restoreAvailable} aria-describedby="restore-note"
              @click=${() => this.go('restore')}>
              <strong>Restore from backup</strong>Recreate this installation from a Keyward backup.
            </button>
            ${this.restoreAvailable
              ? null
              : html`<span class="hint" id="restore-note">Restoring arrives with the backup plugin, which is not installed.</span>`}
          </div>`;
      case 'license':
        return html`<h2>License settings</h2>
          <p class="muted">Provided by your supplier. The license key may be left empty: licences are enforced only where this
            deployment's configuration names a vendor verifying key.</p>
          ${this.input('systemId', 'System ID', { hint: 'Unique identity of this installation, e.g. when an organisation has several.' })}
          ${this.input('licenseKey', 'License key', { hint: 'Optional. Valid for the System ID above; sets how many users may be created.', mono: true })}
          ${this.nav()}`;
      case 'domain':
        return html`<h2>Security Domain</h2>
          <p class="manual">The Security Domain is presented as the entity that has attested the user's identity, i.e. when a user
            from this domain communicates with a user from another domain this Security Domain name will be displayed to the other
            user. The recommendation is to use the registered company/government/department name.</p>
          ${this.input('securityDomain', 'Security Domain', { hint: 'It uniquely identifies this installation and cannot be changed later without new master keys.' })}
          ${this.input('compromised', 'Replacing a compromised CMS? Enter its domain fingerprint', {
            hint: 'Optional. The fingerprint on the old installation\'s domain certificate. Its backups are then refused: they would bring back its compromised master keys.',
            mono: true,
          })}
          ${this.nav()}`;
      case 'crs':
        return html`<h2>CRS settings</h2>
          <p class="muted">Provided by the CRS host.</p>
          ${this.input('crsAddress', 'CRS address', { hint: 'IP address or FQDN the clients use to reach the CRS.' })}
          ${this.input('crsAccount', 'Account ID', { hint: 'Identifies this installation at the CRS.', mono: true })}
          <div class="field">
            <label for="crsSecret">Shared Secret</label>
            <div class="secret-row">
              <input id="crsSecret" name="crsSecret" class="mono" type=${this.revealSecret ? 'text' : 'password'} autocomplete="off"
                spellcheck="false" .value=${this.data.crsSecret} aria-invalid=${this.errors.crsSecret ? 'true' : 'false'}
                aria-describedby="crsSecret-hint crsSecret-error" />
              <button type="button" id="reveal" aria-pressed=${this.revealSecret ? 'true' : 'false'} aria-controls="crsSecret"
                @click=${() => (this.revealSecret = !this.revealSecret)}>${this.revealSecret ? 'Hide' : 'Reveal'}</button>
            </div>
            <span class="hint" id="crsSecret-hint">Shown in a monospace font so that capital “I” and “1” are easy to tell apart.
              Used to derive each user's TLS credentials for the CRS.</span>
            ${this.fieldError('crsSecret')}
          </div>
          ${this.nav()}`;
      case 'passphrase': {
        const strength = passphraseStrength(this.data.passphrase);
        return html`<h2>Administrator passphrase</h2>
          <p class="muted">It protects every key stored on this computer. There is no way to recover it: keep it safe.</p>
          ${this.input('passphrase', 'Passphrase', { type: 'password', autocomplete: 'new-password', hint: `At least ${MIN_PASSPHRASE_LENGTH} characters.` })}
          <div class="strength" data-level=${strength.level} aria-live="polite">${this.data.passphrase ? strength.hint : ''}</div>
          ${this.input('passphrase2', 'Passphrase again', { type: 'password', autocomplete: 'new-password' })}
          ${this.nav()}`;
      }
      case 'review':
        return html`<h2>Review</h2>
          <dl>
            <dt>System ID</dt><dd>${this.data.systemId || html`<span class="muted">not set</span>`}</dd>
            <dt>License key</dt><dd class="mono">${this.data.licenseKey || html`<span class="muted">not set</span>`}</dd>
            <dt>Security Domain</dt><dd>${this.data.securityDomain}</dd>
            ${this.data.compromised.trim() ? html`<dt>Replaces the compromised domain</dt><dd class="mono">${this.data.compromised.trim()}</dd>` : null}
            <dt>CRS address</dt><dd>${this.data.crsAddress}</dd>
            <dt>Account ID</dt><dd class="mono">${this.data.crsAccount}</dd>
            <dt>Shared Secret</dt><dd>set (${[...this.data.crsSecret].length} characters, hidden)</dd>
            <dt>Passphrase</dt><dd>set (hidden)</dd>
          </dl>
          <p class="after-list">Installing creates the domain master keys (ECCSI and SAKKE) and the encrypted store.</p>
          ${this.nav(this.busy ? 'Installing…' : 'Install')}`;
    }
  }

  private input(
    name: Field,
    label: string,
    o: { hint?: string; type?: 'text' | 'password'; mono?: boolean; autocomplete?: string } = {},
  ): TemplateResult {
    return html`<div class="field">
      <label for=${name}>${label}</label>
      <input id=${name} name=${name} type=${o.type ?? 'text'} class=${o.mono ? 'mono' : ''} autocomplete=${o.autocomplete ?? 'off'}
        spellcheck="false" .value=${this.data[name]} aria-invalid=${this.errors[name] ? 'true' : 'false'}
        aria-describedby="${name}-hint ${name}-error" />
      ${o.hint ? html`<span class="hint" id="${name}-hint">${o.hint}</span>` : null}
      ${this.fieldError(name)}
    </div>`;
  }

  private fieldError(name: Field): TemplateResult | null {
    const e = this.errors[name];
    return e ? html`<span class="error-text" id="${name}-error">${e}</span>` : null;
  }

  private nav(nextLabel = 'Next'): TemplateResult {
    return html`<div class="actions">
      <button type="button" id="back" ?disabled=${this.busy} @click=${this.back}>Back</button>
      <button type="submit" id="next" class="primary" ?disabled=${this.busy}>${nextLabel}</button>
    </div>`;
  }

  private onInput = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const name = input.name as Field;
    if (!(name in this.data)) return;
    this.data = { ...this.data, [name]: input.value };
    if (this.errors[name]) this.errors = { ...this.errors, [name]: undefined };
  };

  private back = () => {
    const i = STEPS.findIndex((s) => s.id === this.step);
    if (i > 0) this.go(STEPS[i - 1]!.id);
  };

  private onSubmit = async (e: Event) => {
    e.preventDefault();
    if (this.busy) return;
    const errors = this.validate(this.step);
    this.errors = errors;
    const firstBad = Object.keys(errors)[0];
    if (firstBad) {
      this.renderRoot.querySelector<HTMLInputElement>(`#${firstBad}`)?.focus();
      return;
    }
    if (this.step === 'review') return this.install();
    const i = STEPS.findIndex((s) => s.id === this.step);
    this.go(STEPS[i + 1]!.id);
  };

  private async go(step: Step): Promise<void> {
    this.step = step;
    await this.updateComplete;
    // Move focus to the new step's first field so keyboard users continue where they are.
    this.renderRoot.querySelector<HTMLElement>('form input, form button')?.focus();
  }

  private validate(step: Step): Partial<Record<Field, string>> {
    const d = this.data;
    const errors: Partial<Record<Field, string>> = {};
    const required = (f: Field, what: string) => {
      if (!d[f].trim()) errors[f] = `${what} is required.`;
    };
    if (step === 'domain') required('securityDomain', 'The Security Domain');
    if (step === 'crs') {
      required('crsAddress', 'The CRS address');
      required('crsAccount', 'The Account ID');
      required('crsSecret', 'The Shared Secret');
    }
    if (step === 'passphrase') {
      if ([...d.passphrase].length < MIN_PASSPHRASE_LENGTH) errors.passphrase = `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`;
      else if (d.passphrase !== d.passphrase2) errors.passphrase2 = 'The two passphrases differ.';
    }
    return errors;
  }

  private async install(): Promise<void> {
    const d = this.data;
    const setup: SetupPayload = {
      securityDomain: d.securityDomain.trim(),
      crs: { address: d.crsAddress.trim(), account: d.crsAccount.trim(), secret: d.crsSecret },
    };
    if (d.systemId.trim()) setup.systemId = d.systemId.trim();
    if (d.licenseKey.trim()) setup.licenseKey = d.licenseKey.trim();
    if (d.compromised.trim()) setup.compromisedDomains = [d.compromised.trim()];
    this.busy = true;
    try {
      await invoke('kernel.init', { passphrase: d.passphrase, setup: setup as unknown as JsonValue });
      // Drop the secrets from this element before it goes away.
      this.data = { ...this.data, crsSecret: '', passphrase: '', passphrase2: '' };
      notify('Keyward is installed.');
      this.dispatchEvent(new CustomEvent('kw-state-changed', { bubbles: true, composed: true }));
    } catch (err) {
      notifyError(err);
      // Take the administrator to the field the kernel named (the message names it too).
      const details = err instanceof InvokeError ? (err.details as { field?: unknown } | undefined) : undefined;
      const at = typeof details?.field === 'string' ? SETUP_FIELDS[details.field] : undefined;
      if (at) {
        this.busy = false;
        this.errors = { [at.field]: (err as InvokeError).message };
        await this.go(at.step);
        this.renderRoot.querySelector<HTMLInputElement>(`#${at.field}`)?.focus();
      }
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('kw-wizard', KwWizard);

declare global {
  interface HTMLElementTagNameMap {
    'kw-wizard': KwWizard;
  }
}
