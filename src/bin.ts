import { run } from './cli.js';

/** The executable: runs the command line and turns its outcome into an exit code. */
run(process.argv).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`credits-mock: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
