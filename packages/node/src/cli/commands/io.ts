import { WeftError } from '@weft/core';

/** Where commands write, so tests can run them in-process and read what they printed. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Records a failing exit status without exiting (pending output still flushes). */
  setExitCode(code: number): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * Runs a command body; a WeftError becomes one line `error [CODE]: message`
 * and exit status 1 (no stack: the code and message are the user-facing
 * part). Anything else is a bug and propagates with its stack.
 */
export async function runCommand(io: CliIo, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (!(err instanceof WeftError)) throw err;
    io.err(`error [${err.code}]: ${err.message}\n`);
    io.setExitCode(1);
  }
}
