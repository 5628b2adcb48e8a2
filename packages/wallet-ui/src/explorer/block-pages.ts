/** Blocks per page of the explorer's list. */
export const BLOCKS_PER_PAGE = 10;

/** One page of the block list, newest first, and where the paging links lead. */
export interface BlockPageRange {
  /** The newest and oldest block numbers shown (top >= bottom). */
  top: number;
  bottom: number;
  /**
   * The `top` of the newer page; `undefined` when that page is the newest,
   * which follows the head as blocks arrive.
   */
  newer?: number;
  hasNewer: boolean;
  /** The `top` of the older page, when there is one. */
  older?: number;
  /** The `top` of the page holding block 0. */
  oldest: number;
}

/**
 * The page of a chain of `height` blocks whose newest block is `top`
 * (clamped to the head; the head when absent). Pages are anchored at their
 * top, so Older then Newer returns to the same page.
 */
export function blockPage(height: number, top?: number, size = BLOCKS_PER_PAGE): BlockPageRange {
  const head = Math.max(0, height - 1);
  const shownTop = Math.min(top ?? head, head);
  const bottom = Math.max(0, shownTop - size + 1);
  const newerTop = shownTop + size;
  return {
    top: shownTop,
    bottom,
    hasNewer: shownTop < head,
    ...(shownTop < head && newerTop < head ? { newer: newerTop } : {}),
    ...(bottom > 0 ? { older: bottom - 1 } : {}),
    oldest: Math.min(size - 1, head),
  };
}
