/**
 * What xterm.js needs to run under the renderer's strict CSP (`style-src 'self'`, no 'unsafe-inline').
 * Hand-written for security: the alternative is allowing inline styles for the whole window, where
 * agent output is shown.
 *
 * xterm's DOM renderer writes generated rules (theme colours, cell sizes, scrollbar) into `<style>`
 * elements, and colours true-colour cells with `span.setAttribute('style', …)`; the CSP blocks both
 * and reports a violation. Here:
 * - a `<style>` xterm creates is an inert stand-in whose text goes into a constructed stylesheet the
 *   document adopts ({@link cspSafeDocument} for what it creates later, {@link openCspSafe} for what
 *   `Terminal.open` creates through the real document);
 * - a `style` attribute a script sets on a span is applied through the CSSOM (`style.cssText`), the
 *   same declarations the attribute would give ({@link applySpanStylesThroughCssom}).
 * Neither path is governed by `style-src`, neither can run script, and markup injected into the page
 * (parsed, not set by our scripts) is still held to the CSP.
 */

/** The browser's own createElement, unaffected by {@link openCspSafe}'s temporary replacement. */
const nativeCreateElement = Document.prototype.createElement;
const create = (doc: Document, tag: string, options?: ElementCreationOptions): HTMLElement => nativeCreateElement.call(doc, tag, options);

/** The part of a created element xterm uses of a `<style>`: its text, and removal. */
function styleStandIn(doc: Document): HTMLElement {
  const sheet = new CSSStyleSheet();
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  // <template> renders nothing and its text is never parsed as markup or style.
  const element = create(doc, 'template');
  let text = '';
  Object.defineProperty(element, 'textContent', {
    get: () => text,
    set: (value: string | null) => {
      text = value ?? '';
      sheet.replaceSync(text);
    },
  });
  const remove = element.remove.bind(element);
  element.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
    remove();
  };
  return element;
}

/** `createElement` of `doc` with `<style>` stand-ins; other tags as usual. */
function cspSafeCreateElement(doc: Document): Document['createElement'] {
  const safe = (tag: string, options?: ElementCreationOptions): HTMLElement => (tag.toLowerCase() === 'style' ? styleStandIn(doc) : create(doc, tag, options));
  return safe as Document['createElement'];
}

/** `doc` as xterm.js should see it (its `documentOverride`): the same document, with `<style>` stand-ins. */
export function cspSafeDocument(doc: Document): Document {
  const createElement = cspSafeCreateElement(doc);
  return new Proxy(doc, {
    get(target, property) {
      if (property === 'createElement') return createElement;
      const value: unknown = Reflect.get(target, property, target);
      // Native methods need the real document as `this`.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Runs `open` (xterm's `Terminal.open`) with `doc.createElement` making `<style>` stand-ins for its
 * duration: xterm 6.0 creates its scrollbar's `<style>` during `open()` through the real document,
 * whatever `documentOverride` says.
 */
export function openCspSafe(doc: Document, open: () => void): void {
  // An own property shadows Document.prototype.createElement; deleting it restores the original.
  Object.defineProperty(doc, 'createElement', { value: cspSafeCreateElement(doc), configurable: true, writable: true });
  try {
    open();
  } finally {
    delete (doc as { createElement?: unknown }).createElement;
  }
}

let spansPatched = false;

/**
 * Makes `span.setAttribute('style', text)` apply `text` through the CSSOM. xterm's row renderer makes
 * its spans with the global document (not `documentOverride`), so the spans' prototype is the only
 * place to catch it. Installed once; other attributes and elements are untouched.
 */
export function applySpanStylesThroughCssom(): void {
  if (spansPatched) return;
  spansPatched = true;
  const setAttribute = HTMLSpanElement.prototype.setAttribute;
  HTMLSpanElement.prototype.setAttribute = function setAttributeCssom(this: HTMLSpanElement, name: string, value: string): void {
    if (name.toLowerCase() === 'style') this.style.cssText = value;
    else setAttribute.call(this, name, value);
  };
}
