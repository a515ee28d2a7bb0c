/** The plugins every Keyward installation loads (a deployment may disable some in keyward.config.json). */
import type { PluginDefinition } from '../src/kernel/index.js';
import backup from './backup/index.js';
import channels from './channels/index.js';
import devicesFolder from './devices-folder/index.js';
import devicesLinux from './devices-linux/index.js';
import devicesWindows from './devices-windows/index.js';
import domain from './domain/index.js';
import domains from './domains/index.js';
import gateways from './gateways/index.js';
import keys from './keys/index.js';
import layouts from './layouts/index.js';
import letters from './letters/index.js';
import license from './license/index.js';
import settings from './settings/index.js';
import users from './users/index.js';
import updates from './updates/index.js';

export const builtinPlugins: PluginDefinition<any, any, any>[] = [domain, settings, license, keys, users, channels, layouts, letters, domains, gateways, devicesFolder, devicesLinux, devicesWindows, updates, backup];
