import { createInterface, type Interface } from 'node:readline';
import { WeftError } from '@weft/core';
import { read } from 'read';

/** Environment variables a script (or a test) sets instead of answering prompts. */
export const PASSPHRASE_ENV = 'WEFT_WALLET_PASSPHRASE';
export const MNEMONIC_ENV = 'WEFT_WALLET_MNEMONIC';

/** Piped stdin, read line by line through one reader (a reader per prompt would lose buffered lines). */
let piped: { rl: Interface; lines: AsyncIterator<string> } | undefined;

/**
 * Asks on the terminal without echo (prompts go to stderr, so stdout stays
 * the command's output); from a pipe, takes the next line.
 */
async function ask(prompt: string): Promise<string> {
  if (process.stdin.isTTY) {
    return String(await read({ prompt, silent: true, replace: '', output: process.stderr }));
  }
  if (!piped) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    piped = { rl, lines: rl[Symbol.asyncIterator]() };
  }
  const next = await piped.lines.next();
  if (next.done) throw new WeftError('CLI_NO_INPUT', `stdin ended before: ${prompt.trim()}`);
  return next.value;
}

/** Lets the process end: a reader left on stdin would keep it waiting. */
export function closePrompts(): void {
  piped?.rl.close();
  piped = undefined;
}

/** The vault passphrase: $WEFT_WALLET_PASSPHRASE, else asked (twice for a new vault). */
export async function passphrase(options: { confirm?: boolean } = {}): Promise<string> {
  const fromEnv = process.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined) return fromEnv;
  const first = await ask('Wallet passphrase: ');
  if (options.confirm && (await ask('Repeat the passphrase: ')) !== first) {
    throw new WeftError('CLI_PASSPHRASE_MISMATCH', 'the passphrases differ');
  }
  return first;
}

/** The mnemonic to restore from: $WEFT_WALLET_MNEMONIC, else asked. */
export async function mnemonicInput(): Promise<string> {
  return process.env[MNEMONIC_ENV] ?? (await ask('Recovery words (BIP39 mnemonic): '));
}
