/**
 * Shared element styles: one calm look for the shell and every plugin view.
 * Colours come from CSS variables in global.css (contrast ≥ 4.5:1 on white, WCAG 2.1 AA).
 */
import { css } from 'lit';

export const baseStyles = css`
  :host {
    font-family: var(--kw-font);
    color: var(--kw-text);
  }
  h1, h2, h3 { line-height: 1.25; margin: 0 0 0.75rem; font-weight: 600; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.25rem; }
  h3 { font-size: 1.05rem; }
  p { margin: 0 0 0.75rem; }
  .muted { color: var(--kw-muted); }
  .mono { font-family: var(--kw-mono); }

  button {
    font: inherit;
    padding: 0.45rem 1rem;
    border-radius: var(--kw-radius);
    border: 1px solid var(--kw-border);
    background: var(--kw-surface);
    color: var(--kw-text);
    cursor: pointer;
  }
  button:hover:not([disabled]) { background: #eef1f4; }
  button.primary { background: var(--kw-accent); border-color: var(--kw-accent); color: var(--kw-accent-text); }
  button.primary:hover:not([disabled]) { background: #184c8b; }
  button.danger { background: var(--kw-danger); border-color: var(--kw-danger); color: #fff; }
  button.danger:hover:not([disabled]) { background: #861e23; }
  button.link { border: none; background: none; color: var(--kw-accent); padding: 0.2rem 0.3rem; text-decoration: underline; }
  button[disabled] { opacity: 0.55; cursor: not-allowed; }
  :focus-visible { outline: 3px solid var(--kw-focus); outline-offset: 2px; }

  label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  .field { margin-bottom: 1rem; }
  .hint { display: block; font-size: 0.9rem; color: var(--kw-muted); margin-top: 0.25rem; }
  .error-text { display: block; font-size: 0.9rem; color: var(--kw-danger); margin-top: 0.25rem; }
  input[type='text'], input[type='password'], input[type='number'], input:not([type]), select, textarea {
    font: inherit;
    width: 100%;
    box-sizing: border-box;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--kw-border);
    border-radius: var(--kw-radius);
    background: #fff;
    color: var(--kw-text);
  }
  input[aria-invalid='true'] { border-color: var(--kw-danger); }

  table { border-collapse: collapse; width: 100%; background: var(--kw-surface); }
  th, td { text-align: left; padding: 0.45rem 0.6rem; border-bottom: 1px solid #e2e6ea; vertical-align: top; }
  th { font-weight: 600; background: #eef1f4; }
  caption { text-align: left; padding: 0.4rem 0; color: var(--kw-muted); }

  .card {
    background: var(--kw-surface);
    border: 1px solid var(--kw-border);
    border-radius: var(--kw-radius);
    padding: 1.5rem;
  }
  .actions { display: flex; gap: 0.6rem; justify-content: flex-end; margin-top: 1.25rem; flex-wrap: wrap; }
  .notice { padding: 0.6rem 0.8rem; border-radius: var(--kw-radius); border: 1px solid; margin: 0.75rem 0; }
  .notice.ok { border-color: var(--kw-success); color: var(--kw-success); background: #eef7f0; }
  .notice.bad { border-color: var(--kw-danger); color: var(--kw-danger); background: #fbeeee; }
`;
