/** DOM helpers shared by the pages: every text goes in with `textContent`, never as markup. */

/** A new element with an optional class and text. */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string | number | null,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** The element with this id, of this type; a page whose markup lacks it is broken, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(
  id: string,
  type: abstract new () => T = HTMLElement as unknown as abstract new () => T,
): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`#${id} is missing from the page`);
  return node;
}

export { errorMessage, fetchWithTimeout, readJson } from "./http.ts";
