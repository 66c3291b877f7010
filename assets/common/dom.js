// DOM helpers both pages use (served as /game/dom.js and /sandbox/dom.js): an element by id, a
// new element with its class and text, an icon from the page's SVG sprite.

export const $ = (id) => document.getElementById(id);

// <tag class="cls">text</tag>; no text when `text` is null or undefined.
export function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text != null) node.textContent = String(text);
  return node;
}

// `node`, its words running their own way (an English name stays readable in a Persian page).
export function autoDir(node) {
  node.dir = 'auto';
  return node;
}

// <svg class="cls"><use href="#symbol"/></svg>, with `viewBox` when given.
export function svgIcon(symbol, cls, viewBox) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', cls || 'ico');
  if (viewBox) svg.setAttribute('viewBox', viewBox);
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS(ns, 'use');
  use.setAttribute('href', `#${symbol}`);
  svg.appendChild(use);
  return svg;
}
