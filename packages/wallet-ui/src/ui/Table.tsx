import type { ComponentChildren } from 'preact';

/** A column's heading; `{ num }` for a column of figures (right-aligned). */
export type Column = string | { num: string };

/**
 * A table that scrolls sideways on narrow screens: its caption, a heading
 * per column, and the rows (the children) as its body.
 */
export function Table(p: {
  columns?: readonly Column[];
  caption?: string;
  class?: string;
  testid?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="table-wrap">
      <table class={p.class} data-testid={p.testid}>
        {p.caption ? <caption>{p.caption}</caption> : null}
        {p.columns ? (
          <thead>
            <tr>
              {p.columns.map((c) =>
                typeof c === 'string' ? (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ) : (
                  <th key={c.num} scope="col" class="num">
                    {c.num}
                  </th>
                ),
              )}
            </tr>
          </thead>
        ) : null}
        <tbody>{p.children}</tbody>
      </table>
    </div>
  );
}
