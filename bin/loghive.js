#!/usr/bin/env node
import { installSignalCleanup, main } from '../dist/cli/main.js';

installSignalCleanup((s) => process.stderr.write(s));

process.exitCode = await main(process.argv);
