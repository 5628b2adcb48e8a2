import { useState } from 'preact/hooks';

/** Copies `text` to the clipboard and says so (to screen readers too). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
    setTimeout(() => setDone(undefined), 2000);
  };
  return (
    <button type="button" class="secondary small" onClick={copy}>
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Copy failed: select the text' : label}
      <span class="visually-hidden" aria-live="polite">
        {done === 'copied' ? 'Copied to the clipboard' : ''}
      </span>
    </button>
  );
}
