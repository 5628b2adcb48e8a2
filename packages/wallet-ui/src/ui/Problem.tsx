/** A problem with what was typed, announced as it appears. */
export function Problem({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}
