// @ts-check
// A list that draws only the rows in view (plus a few either side), so 20,000 items cost
// what 40 do. Rows have one fixed height, read from the viewport's `--row-height`; a row
// (in px) is drawn again only when its signature changes.

/**
 * @template T
 * @typedef {object} VirtualListOptions
 * @property {HTMLElement} viewport the scrolling element (its height is set by CSS)
 * @property {string} [role] of the element holding the rows (default: presentation)
 * @property {(item: T) => string} key unique per item
 * @property {(item: T, index: number) => string} signature changes whenever the row must be redrawn
 * @property {(item: T, index: number) => HTMLElement} render a new row element
 * @property {() => void} [drawn] called after each draw (to load what the rows on screen need)
 */

const OVERSCAN = 6;

/**
 * @template T
 * @param {VirtualListOptions<T>} options
 */
export function virtualList(options) {
  const { viewport } = options;
  const body = viewport.appendChild(document.createElement('div'));
  body.className = 'virtual-body';
  body.setAttribute('role', options.role ?? 'presentation');
  /** @type {T[]} */
  let items = [];
  /** @type {Map<string, { node: HTMLElement, signature: string, index: number }>} */
  let drawn = new Map();
  let scheduled = 0;

  const rowHeight = () => Number.parseFloat(getComputedStyle(viewport).getPropertyValue('--row-height')) || 40;

  function draw() {
    scheduled = 0;
    const height = rowHeight();
    body.style.height = `${items.length * height}px`;
    const top = viewport.scrollTop;
    const seen = viewport.clientHeight || 800;
    const first = Math.max(0, Math.floor(top / height) - OVERSCAN);
    const last = Math.min(items.length - 1, Math.ceil((top + seen) / height) + OVERSCAN);
    /** @type {Map<string, { node: HTMLElement, signature: string, index: number }>} */
    const next = new Map();
    /** @type {HTMLElement | null} */
    let previous = null;
    for (let index = first; index <= last; index++) {
      const item = /** @type {T} */ (items[index]);
      const key = options.key(item);
      const signature = options.signature(item, index);
      let row = drawn.get(key);
      if (!row || row.signature !== signature) {
        const node = options.render(item, index);
        node.dataset.key = key;
        node.classList.add('virtual-row');
        if (row) row.node.replaceWith(node);
        row = { node, signature, index: -1 };
      }
      // The document order is the order on screen (for screen readers and Tab); rows
      // already in place are not moved, so a focused row keeps its focus while scrolling.
      /** @type {ChildNode | null} */
      const expected = previous ? previous.nextSibling : body.firstChild;
      if (row.node !== expected) body.insertBefore(row.node, expected);
      previous = row.node;
      if (row.index !== index) {
        row.node.style.top = `${index * height}px`;
        row.index = index;
      }
      next.set(key, row);
      drawn.delete(key);
    }
    for (const { node } of drawn.values()) node.remove();
    drawn = next;
    options.drawn?.();
  }

  viewport.addEventListener('scroll', () => {
    if (!scheduled) scheduled = requestAnimationFrame(draw);
  });
  new ResizeObserver(() => {
    if (!scheduled) scheduled = requestAnimationFrame(draw);
  }).observe(viewport);

  return {
    /** @param {T[]} list */
    update(list) {
      items = list;
      draw();
    },
    get items() {
      return items;
    },
    /**
     * Scrolls the least needed for row `index` to be in view (or to the middle), and draws.
     * @param {number} index
     * @param {boolean} [center]
     */
    show(index, center = false) {
      const height = rowHeight();
      const top = index * height;
      if (center) viewport.scrollTop = top - (viewport.clientHeight - height) / 2;
      else if (top < viewport.scrollTop) viewport.scrollTop = top;
      else if (top + height > viewport.scrollTop + viewport.clientHeight)
        viewport.scrollTop = top + height - viewport.clientHeight;
      draw();
    },
    /** The drawn row of `key`, if it is drawn. @param {string} key */
    node(key) {
      return drawn.get(key)?.node ?? null;
    },
    /** The keys of the rows drawn, in order. */
    keys() {
      return [...drawn.entries()].sort((a, b) => a[1].index - b[1].index).map(([key]) => key);
    },
  };
}
