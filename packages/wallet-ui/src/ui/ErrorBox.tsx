import type { ShownError } from './errors.js';

/** An error as a person needs it: the sentence first, the code and detail folded below. */
export function ErrorBox({ error, title }: { error: ShownError | undefined; title?: string }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <p>
        {title ? <strong>{title} </strong> : null}
        {error.message}
      </p>
      {error.code || (error.detail && error.detail !== error.message) ? (
        <details>
          <summary>Details</summary>
          {error.code ? <code>{error.code}</code> : null}
          {error.detail && error.detail !== error.message ? <p>{error.detail}</p> : null}
        </details>
      ) : null}
    </div>
  );
}
