/** The manual's compatibility table for one feature, and the blocked versions in words for the confirmation. */
import { html } from 'lit';
import {
  CLIENTS,
  CLIENT_NAMES,
  blockedBySwitching,
  compatibilityOf,
  formatBlocked,
  formatSupported,
  type CompatibilityFeature,
} from '../compatibility.js';

/** Supported and blocked versions per client, as in the manual's Summary. */
export function compatTable(feature: CompatibilityFeature) {
  const row = compatibilityOf(feature);
  return html`<table class="compat" data-feature=${feature}>
    <caption>Client versions (${row.label})</caption>
    <thead><tr><th scope="col"></th>${CLIENTS.map((c) => html`<th scope="col"><abbr title=${CLIENT_NAMES[c]}>${c}</abbr></th>`)}</tr></thead>
    <tbody>
      <tr><th scope="row">Supported</th>${CLIENTS.map((c) => html`<td>${formatSupported(row.supported[c])}</td>`)}</tr>
      <tr><th scope="row">Blocked</th>${CLIENTS.map((c) => html`<td>${formatBlocked(row.blocked[c])}</td>`)}</tr>
    </tbody>
  </table>`;
}

/** "Cryptify Call for iPhone (CCA-i) <3.19.0", … — what switching `feature` on blocks everywhere. */
export function blockedInWords(feature: CompatibilityFeature): string[] {
  if (!blockedBySwitching(feature).length) return [];
  const row = compatibilityOf(feature);
  return CLIENTS.filter((c) => row.blocked[c] !== 'none').map((c) => `${CLIENT_NAMES[c]} (${c}) ${formatBlocked(row.blocked[c])}`);
}

/** The confirmation before switching on a feature that blocks client versions. */
export function blockingQuestion(feature: CompatibilityFeature) {
  const row = compatibilityOf(feature);
  return {
    title: `Switch on ${row.label}?`,
    message: 'These client versions will be prevented from using any part of the system:',
    details: [...blockedInWords(feature), row.note],
    confirmLabel: 'Switch on',
  };
}
