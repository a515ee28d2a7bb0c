/** The manual's channel compatibility note ("Settings and compatibility" → Channels), shown wherever members are chosen. */
import { html } from 'lit';
import { CHANNEL_CLIENT_VERSIONS as V } from '../compatibility.js';

export function compatibilityNote() {
  return html`<div class="notice compat" id="channels-compat" role="note">
    <strong>Only add users whose client supports channels:</strong> Cryptify Call for iPhone ${V['CCA-i']} or later (CCA-i),
    for Android ${V['CCA-a']} or later (CCA-a), for Windows ${V['CCA-w']} or later (CCA-w); the CRS must run ${V.CRS} or later.
    A user with an earlier version must not be added: it would stop consuming future crypto updates.
    Changes take effect after the next crypto update is published on the CRS and downloaded by the devices.
  </div>`;
}
