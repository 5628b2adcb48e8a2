// Rendering Preact components into the test page and acting on them as a
// person would: by label text and button name, with the events the browser
// sends. (Chromium only: these helpers need a DOM.)
import { type ComponentChild, render } from 'preact';

export interface Mounted {
  root: HTMLElement;
  unmount(): void;
}

export function mount(vnode: ComponentChild): Mounted {
  const root = document.createElement('div');
  document.body.append(root);
  render(vnode, root);
  return {
    root,
    unmount() {
      render(null, root);
      root.remove();
    },
  };
}

/** Polls until `find` returns something (Preact renders asynchronously; vault crypto takes a moment). */
export async function waitFor<T>(
  what: string,
  find: () => T | undefined | null | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The form control whose label's own text starts with `text`. */
export function field<T extends HTMLElement = HTMLInputElement>(
  root: HTMLElement,
  text: string,
): T {
  for (const label of root.querySelectorAll('label')) {
    const own = [...label.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent ?? '')
      .join('')
      .trim();
    if (!own.startsWith(text)) continue;
    const control = label.control ?? label.querySelector('input, select, textarea');
    if (control) return control as unknown as T;
  }
  throw new Error(`no field labelled "${text}"`);
}

export function button(root: HTMLElement, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

/** Lets Preact render what the last event changed (as happens between a person's actions). */
export function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

export async function type(
  el: HTMLInputElement | HTMLTextAreaElement,
  value: string,
): Promise<void> {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  await settle();
}

export async function check(el: HTMLInputElement): Promise<void> {
  el.click();
  await settle();
}

/** Text of the element, for assertions (textContent, whitespace collapsed). */
export function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
