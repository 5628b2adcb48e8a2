import type { ComponentChildren, InputHTMLAttributes } from 'preact';

/** Omit from each member of a union (Preact types an input's attributes as one member per `type`). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An input's attributes but its value and input handler (the field's own). */
type InputProps = OmitEach<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput'>;

/**
 * An input inside its label (so people, screen readers and tests find it
 * by the label's text), reporting each change of its text; `children`
 * follow the input inside the label (a datalist, say).
 */
export function Field({
  label,
  value,
  onValue,
  children,
  ...input
}: InputProps & {
  label: string;
  value: string;
  onValue: (value: string) => void;
  children?: ComponentChildren;
}) {
  return (
    <label>
      {label}
      <input {...input} value={value} onInput={(e) => onValue(e.currentTarget.value)} />
      {children}
    </label>
  );
}

/** A required passphrase field: the current one, or a new one (password managers tell them apart). */
export function PassphraseField(p: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  autocomplete: 'current-password' | 'new-password';
}) {
  return <Field type="password" required {...p} />;
}

/** A choice among `options`, each shown as its value. */
export function Choice(p: {
  label: string;
  value: string;
  options: readonly string[];
  onValue: (value: string) => void;
}) {
  return (
    <label>
      {p.label}
      <select value={p.value} onChange={(e) => p.onValue(e.currentTarget.value)}>
        {p.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
