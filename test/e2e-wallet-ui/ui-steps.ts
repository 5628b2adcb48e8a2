// What a person does in the wallet UI, step by step, through the page's
// accessible names (labels, roles): if a control loses its label, the test
// cannot find it either.
import type { Locator, Page } from 'playwright-core';
import type { Secret } from './ui-network.js';

const LONG = { timeout: 60_000 };

/** An element's text as rendered (innerText), whitespace collapsed. */
export async function shownText(locator: Locator): Promise<string> {
  const [text = ''] = await locator.allInnerTexts();
  return text.replace(/\s+/g, ' ').trim();
}

/** Creates a wallet: passphrase, the words shown once, three of them typed back. */
export async function createWallet(page: Page, url: string, passphrase: string): Promise<string[]> {
  await page.goto(`${url}#/wallet`);
  await page.getByRole('link', { name: 'Create a wallet' }).click();
  await page.getByLabel('Passphrase (encrypts the wallet in this browser)').fill(passphrase);
  await page.getByLabel('Passphrase again').fill(passphrase);
  await page.getByRole('button', { name: 'Continue' }).click();
  const words = (await page.getByTestId('mnemonic').locator('.word').allTextContents()).map((w) =>
    w.trim(),
  );
  await page.getByLabel('I have written them down').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  for (const input of await page.locator('input[data-word]').all()) {
    const n = Number(await input.getAttribute('data-word'));
    await input.fill(words[n - 1]!);
  }
  await page.getByRole('button', { name: 'Create wallet' }).click();
  await page.getByRole('heading', { name: 'Balances' }).waitFor(LONG);
  return words;
}

export async function restoreWallet(page: Page, url: string, words: string, passphrase: string) {
  await page.goto(`${url}#/wallet/restore`);
  await page.getByLabel('Recovery words (12 to 24 words, separated by spaces)').fill(words);
  await page.getByLabel('Passphrase (encrypts the wallet in this browser)').fill(passphrase);
  await page.getByLabel('Passphrase again').fill(passphrase);
  await page.getByRole('button', { name: 'Restore wallet' }).click();
  await page.getByRole('heading', { name: 'Balances' }).waitFor(LONG);
}

export async function enroll(page: Page, s: Secret): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Wallet' })
    .getByRole('link', { name: 'Enrollment' })
    .click();
  await page.getByLabel('Organisation').selectOption(s.org);
  await page.getByLabel('Enrollment id').fill(s.id);
  await page.getByLabel('Enrollment secret').fill(s.secret);
  await page.getByRole('button', { name: 'Enroll' }).click();
  await page.getByText('Enrolled: this wallet can send now.').waitFor(LONG);
}

export async function ownerKey(page: Page): Promise<string> {
  await page
    .getByRole('navigation', { name: 'Wallet' })
    .getByRole('link', { name: 'Receive' })
    .click();
  const key = page.getByTestId('owner-key');
  await key.waitFor(LONG);
  return (await key.textContent())!.trim();
}

export async function openBalances(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Wallet' })
    .getByRole('link', { name: 'Balances' })
    .click();
}

/** Waits until the label's verified spendable balance reads `amount` (as shown, e.g. "1,000"). */
export async function waitSpendable(page: Page, label: string, amount: string): Promise<void> {
  await page
    .getByTestId(`spendable-${label}`)
    .filter({ hasText: new RegExp(`^${amount}$`) })
    .waitFor(LONG);
}

/** Fills a payment and opens its review; returns the review's text. */
export async function reviewPayment(page: Page, to: string, amount: string, label: string) {
  await page
    .getByRole('navigation', { name: 'Wallet' })
    .getByRole('link', { name: 'Send' })
    .click();
  await page.getByLabel('Recipient owner key').fill(to);
  await page.getByLabel('Amount (whole units)').fill(amount);
  await page.getByLabel('Label').fill(label);
  await page.getByRole('button', { name: 'Review' }).click();
  return shownText(page.getByTestId('spend-review'));
}

/** Signs the reviewed payment; returns the outcome element once the verdict (or timeout) shows. */
export async function signAndWait(page: Page) {
  await page.getByRole('button', { name: 'Sign and send' }).click();
  const outcome = page.getByTestId('spend-outcome');
  await outcome.waitFor({ timeout: 90_000 });
  return { status: await outcome.getAttribute('data-status'), outcome };
}

/** Fills a payment, returns the review's text, signs, and waits for the outcome element. */
export async function send(page: Page, to: string, amount: string, label: string) {
  const review = await reviewPayment(page, to, amount, label);
  return { review, ...(await signAndWait(page)) };
}

/** The history table's rows as "kind status amount block". */
export async function historyRows(page: Page): Promise<string[]> {
  await page
    .getByRole('navigation', { name: 'Wallet' })
    .getByRole('link', { name: 'History' })
    .click();
  const rows = page.getByTestId('history').locator('tbody tr');
  await rows.first().waitFor(LONG);
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}
