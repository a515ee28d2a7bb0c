/**
 * `kw-unlock`: shown while the kernel is 'locked'. The passphrase opens the vault
 * (`kernel.unlock`); a wrong one is said plainly and nothing else happens.
 */
import { LitElement, css, html } from 'lit';
import { InvokeError, invoke } from './bridge.js';
import { upgradeNotice, type UpgradeReport } from '../../kernel/upgrade-report.js';
import { notify, notifyError } from './notify.js';
import { baseStyles } from './styles.js';

export class KwUnlock extends LitElement {
  static override properties = { error: { state: true }, busy: { state: true } };
  static override styles = [baseStyles, css`:host { display: block; max-width: 28rem; margin: 4rem auto; padding: 0 1rem; }`];
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.error = '';
    this.busy = false;
  }

  override render() {
    return html`<main class="card" aria-labelledby="title">
      <h1 id="title">Unlock Keyward</h1>
      <form @submit=${this.onSubmit}>
        <div class="field">
          <label for="passphrase">Administrator passphrase</label>
          <input id="passphrase" name="passphrase" type="password" autocomplete="current-password" autofocus
            aria-invalid=${this.error ? 'true' : 'false'} aria-describedby="passphrase-error" />
          ${this.error ? html`<span class="error-text" id="passphrase-error" role="alert">${this.error}</span>` : null}
        </div>
        <div class="actions"><button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? 'Unlocking…' : 'Unlock'}</button></div>
      </form>
    </main>`;
  }

  private onSubmit = async (e: Event) => {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#passphrase')!;
    this.busy = true;
    this.error = '';
    try {
      const { upgraded } = await invoke<{ upgraded?: UpgradeReport }>('kernel.unlock', { passphrase: input.value });
      input.value = '';
      if (upgraded) notify(upgradeNotice(upgraded));
      this.dispatchEvent(new CustomEvent('kw-state-changed', { bubbles: true, composed: true }));
    } catch (err) {
      if (err instanceof InvokeError && err.code === 'E_WRONG_PASSPHRASE') {
        this.error = 'Wrong passphrase.';
        input.select();
      } else notifyError(err);
    } finally {
      this.busy = false;
    }
  };
}
customElements.define('kw-unlock', KwUnlock);

declare global {
  interface HTMLElementTagNameMap {
    'kw-unlock': KwUnlock;
  }
}
