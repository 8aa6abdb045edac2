#!/usr/bin/env node
import { run } from '../dist/cli.js';

run(process.argv).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`credits-mock: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
