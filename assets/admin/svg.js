// SVG the server drew (charts, sparklines), as a node for the page: parsed as XML, never as
// HTML, so the console's content security policy needs no inline markup.

const parser = new DOMParser();

export function svgNode(text) {
  return document.importNode(parser.parseFromString(text, 'image/svg+xml').documentElement, true);
}
