/**
 * DOM helpers. Data reaches the page through text nodes and attributes only, never as markup.
 */

/** An element the shell (functions/pages/admin-page.ts) renders; missing means shell and script disagree. */
export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the dashboard shell`);
  return node as T;
};

export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, string | number | boolean | null | undefined>;

const append = (node: Node, child: Child): void => {
  if (child === undefined || child === null || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(node, c);
    return;
  }
  node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
};

const setAttrs = (node: Element, attrs: Attrs) => {
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
};

/** `el('td', { class: 'x' }, 'text', child)`: text children become text nodes. */
export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
};

const SVG = 'http://www.w3.org/2000/svg';
export const svg = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] => {
  const node = document.createElementNS(SVG, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
};

export const clear = <T extends Node>(node: T): T => {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
};

/**
 * A section's status line. A load that finishes clears only what was there when it began: a
 * refusal said while the section's list was still loading stays until the next action.
 */
export const statusLine = (node: HTMLElement) => {
  let said = 0;
  return {
    say(text: string) {
      said++;
      node.textContent = text;
    },
    /** Where a load begins; `clearSince` with it empties the line only if nothing was said after. */
    mark: () => said,
    clearSince(mark: number) {
      if (said === mark) node.textContent = '';
    },
  };
};

export type StatusLine = ReturnType<typeof statusLine>;

export const show = (node: HTMLElement, on: boolean) => {
  node.hidden = !on;
};

/** An error line: shown with its message, hidden without one. */
export const setError = (node: HTMLElement, message: string) => {
  node.textContent = message;
  show(node, Boolean(message));
};

/**
 * Names each body cell by its column's heading (`data-label`), except the first and the actions:
 * a `table.stack` shows the names above the values where a phone stacks the cells.
 */
export const labelCells = (table: HTMLTableElement) => {
  const headings = [...table.tHead!.rows[0].cells].map((th) => th.textContent ?? '');
  for (const row of table.tBodies[0].rows)
    for (const [i, cell] of [...row.cells].entries()) if (i > 0 && !cell.classList.contains('actions') && headings[i]) cell.dataset.label = headings[i];
};
