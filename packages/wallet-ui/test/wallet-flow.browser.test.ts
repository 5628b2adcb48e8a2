// The wallet's create / lock / unlock views over the real WalletService and
// a real IndexedDB vault in Chromium (no network: these steps need none).
import { createMnemonic, MIN_PBKDF2_ITERATIONS, openIndexedDbVaultStore } from '@weft/light';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { h } from 'preact';
import { ServicesContext } from '../src/app/services.js';
import { AuditService } from '../src/auditor/audit-service.js';
import { ConnectionManager } from '../src/network/connection.js';
import { WalletPage } from '../src/wallet/WalletPage.js';
import { WalletService } from '../src/wallet/wallet-service.js';
import { button, check, field, mount, text, type, waitFor } from './support/dom.js';

const PASSPHRASE = 'a passphrase of words';

async function services(idleTimeoutMs?: number) {
  const connection = new ConnectionManager();
  const dbName = `weft-ui-test-${crypto.randomUUID()}`;
  const wallet = new WalletService({
    connection,
    openStore: () => openIndexedDbVaultStore({ dbName }),
    // The floor, so the test does not spend seconds in PBKDF2; production keeps 600,000.
    policy: { iterations: MIN_PBKDF2_ITERATIONS },
    ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
  });
  await wallet.init();
  return { connection, wallet, audit: new AuditService() };
}

function page(s: Awaited<ReturnType<typeof services>>, view: 'home' | 'create' | 'security') {
  return mount(h(ServicesContext.Provider, { value: s }, h(WalletPage, { view })));
}

async function unlockWith(root: HTMLElement, passphrase: string) {
  await type(field(root, 'Passphrase'), passphrase);
  button(root, 'Unlock').closest('form')!.requestSubmit();
}

/**
 * Every string value in `value` (not the keys: "name", "open" and
 * "history" are recovery words too, so a substring test of the JSON
 * would fail for about one mnemonic in two hundred).
 */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringsIn);
}

describe('wallet views over a real vault in IndexedDB', () => {
  it('creates a wallet only once three of its words are typed back', async () => {
    const s = await services();
    const m = page(s, 'create');
    await type(field(m.root, 'Passphrase (encrypts'), PASSPHRASE);
    await type(field(m.root, 'Passphrase again'), 'something else');
    button(m.root, 'Continue').click();
    await waitFor('mismatch', () =>
      text(m.root.querySelector('[role="alert"]')).includes('differ'),
    );
    await type(field(m.root, 'Passphrase again'), PASSPHRASE);
    button(m.root, 'Continue').click();
    const list = await waitFor('words', () => m.root.querySelector('[data-testid="mnemonic"]'));
    const words = [...list.querySelectorAll('.word')].map((w) => text(w));
    assert.lengthOf(words, 24);
    assert.isTrue(button(m.root, 'Continue').disabled, 'not before the words are saved');
    await check(field(m.root, 'I have written them down'));
    await waitFor('enabled', () => !button(m.root, 'Continue').disabled);
    button(m.root, 'Continue').click();
    const inputs = await waitFor('questions', () => {
      const found = [...m.root.querySelectorAll<HTMLInputElement>('input[data-word]')];
      return found.length === 3 ? found : undefined;
    });
    for (const input of inputs) await type(input, 'wrong');
    button(m.root, 'Create wallet').click();
    await waitFor('refusal', () => text(m.root).includes('Those are not the right words.'));
    assert.deepEqual(
      s.wallet.state.value.names,
      [],
      'nothing is stored before the backup is confirmed',
    );
    const unlisted: string[] = [];
    const stop = s.wallet.state.subscribe(({ open, names }) => {
      if (open && !names.includes(open.name)) unlisted.push(open.name);
    });
    for (const input of inputs) await type(input, words[Number(input.dataset.word) - 1]!);
    button(m.root, 'Create wallet').click();
    await waitFor('created', () => s.wallet.state.value.open?.name === 'My wallet');
    stop();
    assert.deepEqual(s.wallet.state.value.names, ['My wallet']);
    assert.deepEqual(unlisted, [], 'the new wallet is listed as soon as it is open');
    const shown = stringsIn(s.wallet.state.value).flatMap((v) => v.toLowerCase().split(/\W+/));
    assert.deepEqual(
      shown.filter((w) => words.includes(w)),
      [],
      'no recovery word in the UI state',
    );
    m.unmount();
  });

  it('locks, refuses a wrong passphrase in words, and unlocks with the right one', async () => {
    const s = await services();
    await s.wallet.create('Savings', PASSPHRASE, createMnemonic());
    const m = page(s, 'home');
    await waitFor('open wallet', () => text(m.root.querySelector('h1')) === 'Savings');
    button(m.root, 'Lock').click();
    await waitFor('unlock form', () => text(m.root.querySelector('h1')) === 'Unlock your wallet');
    await unlockWith(m.root, 'not it at all');
    const alert = await waitFor('alert', () => m.root.querySelector('[role="alert"]'));
    assert.equal(text(alert.querySelector('p')), 'Wrong passphrase.');
    assert.isUndefined(s.wallet.state.value.open);
    await unlockWith(m.root, PASSPHRASE);
    await waitFor('unlocked', () => text(m.root.querySelector('h1')) === 'Savings');
    m.unmount();
  });

  it('shows the recovery words again only for the passphrase, and changes the passphrase', async () => {
    const s = await services();
    const mnemonic = createMnemonic();
    await s.wallet.create('Spare', PASSPHRASE, mnemonic);
    const m = page(s, 'security');
    const reveal = await waitFor('form', () => button(m.root, 'Show the words'));
    await type(field(m.root, 'Passphrase'), 'wrong passphrase');
    reveal.closest('form')!.requestSubmit();
    await waitFor('refusal', () => text(m.root).includes('Wrong passphrase.'));
    assert.isNull(m.root.querySelector('[data-testid="revealed-words"]'));
    await type(field(m.root, 'Passphrase'), PASSPHRASE);
    button(m.root, 'Show the words').closest('form')!.requestSubmit();
    const list = await waitFor('words', () =>
      m.root.querySelector('[data-testid="revealed-words"]'),
    );
    assert.equal([...list.querySelectorAll('.word')].map((w) => text(w)).join(' '), mnemonic);

    const next = 'another long passphrase';
    await type(field(m.root, 'Current passphrase'), PASSPHRASE);
    await type(field(m.root, 'New passphrase'), next);
    await type(field(m.root, 'New passphrase again'), next);
    button(m.root, 'Change passphrase').closest('form')!.requestSubmit();
    await waitFor('changed', () => text(m.root).includes('Passphrase changed.'));
    s.wallet.lock();
    await rejectsWithCode(() => s.wallet.unlock('Spare', PASSPHRASE), 'WALLET_BAD_PASSPHRASE');
    await s.wallet.unlock('Spare', next);
    assert.equal(s.wallet.state.value.open?.name, 'Spare');
    m.unmount();
  });

  it('locks itself when idle and says why', async () => {
    const s = await services(300);
    await s.wallet.create('Idle', PASSPHRASE, createMnemonic());
    const m = page(s, 'home');
    await waitFor('idle lock', () => s.wallet.state.value.lockedBecause === 'idle');
    await waitFor('notice', () => text(m.root).includes('locked itself after a few idle minutes'));
    assert.isUndefined(s.wallet.state.value.open);
    m.unmount();
  });
});
