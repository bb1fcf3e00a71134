#!/usr/bin/env node
// The `halld` bin. A plain `halld run --config <file>` (every start of a board: the systemd
// unit's command line) goes straight to the device; anything else (the technician's commands,
// help, a run line with a mistake in it) to the commander CLI (cli.ts). The bundle keeps the
// two apart (scripts/bundle.mjs), so a board's start loads neither commander nor the CLI's
// other commands: docs/performance.md has what that is worth.
import { plainRunOptions } from './run-argv.js';

const run = plainRunOptions(process.argv.slice(2));
if (run) void import('./daemon.js').then(({ runDeviceOrExit }) => runDeviceOrExit(run));
else void import('./cli.js');
