import { definePlugin } from '../../src/kernel/index.js';
import { defaultLayout } from '../../layouts/index.js';
import { IDevices } from '../devices/tokens.js';
import { IDomain } from '../domain/tokens.js';
import { IKeys } from '../keys/tokens.js';
import { ILayouts } from '../layouts/tokens.js';
import { ISettings } from '../settings/tokens.js';
import { IUsers } from '../users/tokens.js';
import { letterCommands } from './commands.js';
import { LettersService } from './letters.service.js';
import { GATEWAY_LETTER_LAYOUT, ILetters, USER_LETTER_LAYOUT } from './tokens.js';

/** Declared here; the settings plugin takes it as QR protection's default until the administrator sets it. */
export const QR_ENCRYPTION_FLAG = 'letters.qrEncryption';
export const BROWSER_FLAG = 'letters.browser';

export default definePlugin({
  id: 'letters',
  description: 'Initiation letters: QR payloads, PDF through the installed browser, print and burn',
  requires: { users: IUsers, keys: IKeys, domain: IDomain, settings: ISettings, layouts: ILayouts },
  optional: { devices: IDevices },
  provides: ILetters,
  activate(ctx, deps) {
    ctx.flags.declare({
      id: QR_ENCRYPTION_FLAG,
      label: 'Protect QR codes with the QR code key (default)',
      description:
        'Default of Settings → QR protection until the administrator sets it: encrypt initiation QR codes (AES-128-CBC + HMAC-SHA-256) under each user’s QR code key, shown in User Details',
      default: false,
    });
    ctx.flags.declare({
      id: BROWSER_FLAG,
      label: 'Browser for PDF letters',
      description: 'Path of a Chromium-family browser; empty: KEYWARD_BROWSER, then the usual install places',
      default: '',
    });
    ctx.layouts.register({ id: USER_LETTER_LAYOUT, label: 'User initiation letter', ...defaultLayout('user-initiation') });
    ctx.layouts.register({ id: GATEWAY_LETTER_LAYOUT, label: 'Gateway initiation letter', ...defaultLayout('gateway-initiation') });
    const letters = new LettersService(deps, {
      qrEncryption: () => deps.settings.features().qrProtection,
      browser: () => ctx.flags.get<string>(BROWSER_FLAG),
      now: () => new Date(),
    });
    for (const def of letterCommands(letters)) ctx.commands.register(def);
    return letters;
  },
});
