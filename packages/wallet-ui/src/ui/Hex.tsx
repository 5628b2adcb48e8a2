import { shortHex } from './format.js';

/** A hash or key, shortened for reading, whole on hover and to copy. */
export function Hex({ value, keep }: { value: string; keep?: number }) {
  return (
    <code class="hex" title={value}>
      {shortHex(value, keep)}
    </code>
  );
}
