/** Recovery words, numbered in order. */
export function WordList({ words, testid }: { words: readonly string[]; testid: string }) {
  return (
    <ol class="words" data-testid={testid}>
      {words.map((w, i) => (
        <li key={i}>
          <span class="word">{w}</span>
        </li>
      ))}
    </ol>
  );
}
