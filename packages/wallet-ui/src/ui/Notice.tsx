/** News about what was just done, announced as it appears (Problem's counterpart). */
export function Notice({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}
