/**
 * A document for xterm.js (its `documentOverride` option) that keeps the renderer's strict CSP
 * (`style-src 'self'`, no 'unsafe-inline'). Hand-written for security: the alternative is allowing
 * inline styles for the whole window, where agent output is shown.
 *
 * xterm's DOM renderer writes generated rules (theme colours, cell sizes, scrollbar) into `<style>`
 * elements and true-colour cells through `setAttribute('style', …)`; the CSP blocks both and reports
 * a violation. Here a `<style>` it creates is an inert stand-in whose text goes into a constructed
 * stylesheet adopted by the document, and a `style` attribute on a span is set through the CSSOM
 * (`style.cssText`): neither is governed by `style-src`, and neither can run script.
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

/** A span whose `style` attribute is applied through the CSSOM. */
function cssomSpan(doc: Document): HTMLElement {
  const span = create(doc, 'span');
  const setAttribute = span.setAttribute.bind(span);
  span.setAttribute = (name: string, value: string) => {
    if (name.toLowerCase() === 'style') span.style.cssText = value;
    else setAttribute(name, value);
  };
  return span;
}

/** `createElement` of `doc` with CSP-safe `<style>` and `<span>` elements; other tags as usual. */
function cspSafeCreateElement(doc: Document): Document['createElement'] {
  const safe = (tag: string, options?: ElementCreationOptions): HTMLElement => {
    const name = tag.toLowerCase();
    if (name === 'style') return styleStandIn(doc);
    if (name === 'span') return cssomSpan(doc);
    return create(doc, tag, options);
  };
  return safe as Document['createElement'];
}

/** `doc` as xterm.js should see it (its `documentOverride`): the same document, with CSP-safe `<style>` and `<span>` elements. */
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
 * Runs `open` (xterm's `Terminal.open`) with `doc.createElement` made CSP-safe for its duration.
 * Needed besides {@link cspSafeDocument}: xterm 6.0 creates its scrollbar's `<style>` during `open()`
 * through the real document, whatever `documentOverride` says.
 */
export function openCspSafe(doc: Document, open: () => void): void {
  const createElement = cspSafeCreateElement(doc);
  // An own property shadows Document.prototype.createElement; deleting it restores the original.
  Object.defineProperty(doc, 'createElement', { value: createElement, configurable: true, writable: true });
  try {
    open();
  } finally {
    delete (doc as { createElement?: unknown }).createElement;
  }
}
