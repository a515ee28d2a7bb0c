#!/usr/bin/env node
// `keyward-license`, the vendor's licence tool. Runs the TypeScript sources directly through tsx, as `keyward` does.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/license-vendor/main.ts');
process.exitCode = await main(process.argv.slice(2));
