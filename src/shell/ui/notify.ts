/**
 * Notifications: short toasts for successes, lasting ones for errors (with the error's
 * code, so an administrator can quote it). Announced to screen readers via live regions.
 */
import { LitElement, css, html } from 'lit';
import { InvokeError } from './bridge.js';
import { baseStyles } from './styles.js';

export type NoticeKind = 'success' | 'error' | 'info';

interface Toast {
  id: number;
  kind: NoticeKind;
  message: string;
  code?: string;
}

/**
 * How long a toast stays (ms). Errors stay until dismissed — they may need reading twice — or
 * until the administrator leaves the screen they were about ({@link clearErrors}).
 */
const TIMEOUT: Record<NoticeKind, number | undefined> = { success: 5000, info: 5000, error: undefined };
/** Passing toasts shown at once: a burst of actions must not pile a wall over the page. */
const MAX_PASSING = 3;

let nextId = 1;

export class KwToasts extends LitElement {
  static override properties = { toasts: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host { position: fixed; right: 1rem; bottom: 1rem; z-index: 1000; display: flex; flex-direction: column; gap: 0.5rem; max-width: min(28rem, 90vw); }
      .toast { display: flex; gap: 0.75rem; align-items: flex-start; padding: 0.75rem 0.9rem; border-radius: var(--kw-radius);
               background: var(--kw-surface); border: 1px solid var(--kw-border); border-left-width: 6px; box-shadow: 0 4px 14px rgb(0 0 0 / 0.12); }
      .toast.success { border-left-color: var(--kw-success); }
      .toast.error { border-left-color: var(--kw-danger); }
      .toast.info { border-left-color: var(--kw-accent); }
      .body { flex: 1; }
      .code { display: block; font-family: var(--kw-mono); font-size: 0.85rem; color: var(--kw-muted); }
    `,
  ];
  declare toasts: Toast[];

  constructor() {
    super();
    this.toasts = [];
  }

  add(t: Omit<Toast, 'id'>): void {
    const toast = { ...t, id: nextId++ };
    const passing = this.toasts.filter((x) => x.kind !== 'error');
    const oldest = t.kind !== 'error' && passing.length >= MAX_PASSING ? passing[0]!.id : undefined;
    this.toasts = [...this.toasts.filter((x) => x.id !== oldest), toast];
    const timeout = TIMEOUT[t.kind];
    if (timeout) setTimeout(() => this.dismiss(toast.id), timeout);
  }

  dismissErrors(): void {
    this.toasts = this.toasts.filter((t) => t.kind !== 'error');
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  override render() {
    return html`
      <div role="status" aria-live="polite">${this.toasts.filter((t) => t.kind !== 'error').map((t) => this.renderToast(t))}</div>
      <div role="alert" aria-live="assertive">${this.toasts.filter((t) => t.kind === 'error').map((t) => this.renderToast(t))}</div>
    `;
  }

  private renderToast(t: Toast) {
    return html`<div class="toast ${t.kind}" data-kind=${t.kind}>
      <div class="body">${t.message}${t.code ? html`<span class="code">${t.code}</span>` : null}</div>
      <button class="link" @click=${() => this.dismiss(t.id)} aria-label="Dismiss notification">Dismiss</button>
    </div>`;
  }
}
customElements.define('kw-toasts', KwToasts);

function container(): KwToasts {
  let el = document.querySelector('kw-toasts');
  if (!el) {
    el = document.createElement('kw-toasts');
    document.body.append(el);
  }
  return el as KwToasts;
}

/** Show a notification. */
export function notify(message: string, kind: NoticeKind = 'success', code?: string): void {
  container().add({ kind, message, code });
}

/** Dismiss the lasting error toasts: the screen they were about has gone (another view, unlocked, installed). */
export function clearErrors(): void {
  document.querySelector('kw-toasts')?.dismissErrors();
}

/** Show an error notification with the kernel's message and code. */
export function notifyError(err: unknown): void {
  if (err instanceof InvokeError) notify(err.message, 'error', err.code);
  else notify(err instanceof Error ? err.message : String(err), 'error');
}

declare global {
  interface HTMLElementTagNameMap {
    'kw-toasts': KwToasts;
  }
}
