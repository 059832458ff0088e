// The command-line entry every script shares: whether a module is the script node was started
// with, the error a bad command line throws, and the wrapper that turns `main`'s outcome into the
// process's exit code.
import { pathToFileURL } from 'node:url';

/** A bad command line: reported as a message and a hint at the usage, without a stack trace. */
export class UsageError extends Error {}

/** Whether the module at `moduleUrl` (its `import.meta.url`) is the script node was started with. */
export function isMain(moduleUrl) {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/**
 * When `moduleUrl` is the script node was started with, runs `main(argv)` with the arguments after
 * the script's path. A number `main` resolves with is the exit code; without one the process ends
 * when nothing is left to do (a script that keeps serving, as localnet, returns nothing). When
 * `main` rejects, `fail(error)` reports the error and returns the exit code.
 */
export function runIfMain(moduleUrl, main, fail) {
  if (!isMain(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exit(code);
    },
    (error) => process.exit(fail(error)),
  );
}
