/**
 * Renderer entry of the shell: page styles and every shell element. Plugin UIs are
 * appended to the bundle after this by src/shell/web/bundle.ts.
 */
import './global.css';
import './activity.js';
import './dialog.js';
import './notify.js';
import './wizard.js';
import './unlock.js';
import './log-view.js';
import './app.js';
