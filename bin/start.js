#!/usr/bin/env node
// `npm start`: runs the TypeScript sources through tsx (no build step). Also Electron's
// main-process entry, when start.ts hands over to an installed Electron.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/shell/start.ts');
process.exitCode = await main(process.argv.slice(2));
