import { WeftError } from '@weft/core';

/** Where commands write, so a test can run them in-process and read what they printed. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  setExitCode(code: number): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/** JSON for the wallet's values: amounts (bigint) as decimal strings, bytes as hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    // The holder's value, before a Buffer's own toJSON turned it into {type, data}.
    const raw = this[key];
    if (typeof raw === 'bigint') return raw.toString();
    if (raw instanceof Uint8Array) return Buffer.from(raw).toString('hex');
    return v;
  });
}

/**
 * Runs a command body; a WeftError (the wallet's, the transport's, the
 * CLI's) becomes `error [CODE]: message` and exit status 1. Anything else
 * is a bug and keeps its stack.
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
