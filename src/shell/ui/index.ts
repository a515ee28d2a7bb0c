/**
 * What plugin UIs (`plugins/<name>/ui/`) import from the shell: the command bridge,
 * confirmations, notifications, the `runCommand` one-liner and the shared styles.
 * A plugin view is a Lit element named in its menu item; it reaches the kernel only
 * through `invoke`/`runCommand`.
 */
export { invoke, InvokeError, cancelCall, type InvokeOptions } from './bridge.js';
export { confirm, KwDialog, type ConfirmOptions } from './dialog.js';
export { notify, notifyError, type NoticeKind } from './notify.js';
export { runCommand, type RunOptions } from './actions.js';
export { baseStyles } from './styles.js';
export { MIN_PASSPHRASE_LENGTH, passphraseStrength } from '../../kernel/passphrase-policy.js';
export { fileToBase64 } from './files.js';
export { KwOsLogSwitch } from './os-log-switch.js';
