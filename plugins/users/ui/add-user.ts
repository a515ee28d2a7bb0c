/**
 * `kw-add-user`: the manual's "Add User" fields — first name, last name, mobile number,
 * comment and "+". A refusal is shown at the field it names; a success fires `user-added`
 * (detail: the new UserSummary) and clears the row for the next user.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles, invoke, notify, notifyError } from '../../../src/shell/ui/index.js';
import { fieldProblem } from './field-error.js';
import type { FieldProblem, UserSummary } from './types.js';

const FIELDS = [
  { id: 'firstName', label: 'First name', placeholder: 'John' },
  { id: 'lastName', label: 'Last name', placeholder: 'Doe' },
  { id: 'mobile', label: 'Mobile number', placeholder: '+46706764287' },
  { id: 'comment', label: 'Comment', placeholder: 'optional' },
] as const;

export class KwAddUser extends LitElement {
  static override properties = { problem: { state: true }, busy: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      form { display: grid; grid-template-columns: 1fr 1fr 11rem 1.5fr auto; gap: 0.6rem; align-items: start; }
      label { font-size: 0.9rem; }
      .plus { margin-top: 1.6rem; font-size: 1.15rem; line-height: 1; padding: 0.45rem 0.9rem; }
      #mobile { font-variant-numeric: tabular-nums; }
    `,
  ];
  declare problem: FieldProblem | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.problem = undefined;
    this.busy = false;
  }

  override render() {
    return html`<form @submit=${this.submit} aria-label="Add user" novalidate>
      ${FIELDS.map((f) => {
        const bad = this.problem?.field === f.id;
        return html`<div>
          <label for=${f.id}>${f.label}</label>
          <input id=${f.id} name=${f.id} placeholder=${f.placeholder} autocomplete="off" ?required=${f.id !== 'comment'}
            aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${bad ? `${f.id}-error` : ''}
            inputmode=${f.id === 'mobile' ? 'tel' : 'text'} @input=${() => bad && (this.problem = undefined)} />
          ${bad ? html`<span class="error-text" id="${f.id}-error" role="alert">${this.problem!.reason}</span>` : null}
        </div>`;
      })}
      <button class="primary plus" id="add" type="submit" ?disabled=${this.busy} aria-label="Add user" title="Add user">+</button>
    </form>`;
  }

  private input(id: string): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!;
  }

  private submit = async (e: Event) => {
    e.preventDefault();
    const value = (id: string) => this.input(id).value.trim();
    this.busy = true;
    try {
      const user = await invoke<UserSummary>('users.add', {
        firstName: value('firstName'),
        lastName: value('lastName'),
        mobile: value('mobile'),
        comment: value('comment'),
      });
      this.problem = undefined;
      for (const f of FIELDS) this.input(f.id).value = '';
      notify(`Added ${user.firstName} ${user.lastName} (${user.mobile}).`);
      this.dispatchEvent(new CustomEvent<UserSummary>('user-added', { detail: user, bubbles: true, composed: true }));
      this.input('firstName').focus();
    } catch (err) {
      const problem = fieldProblem(err, 'mobile');
      this.problem = FIELDS.some((f) => f.id === problem?.field) ? problem : undefined;
      if (!this.problem) notifyError(err);
      else {
        await this.updateComplete;
        this.input(this.problem.field)?.focus();
      }
    } finally {
      this.busy = false;
    }
  };
}
