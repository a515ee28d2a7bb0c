import { LitElement, css, html } from 'lit';

/** A `<style>` element; its text cannot hold `</style>` (HTML raw text element). */
const STYLE_ELEMENT = /<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi;

/** A4 at 96 dpi, the size Chromium lays the page out at (210 × 297 mm). */
const A4_PX = { width: 794, height: 1123 };

/**
 * A rendered layout shown as a page, in a sandboxed iframe (no scripts, forms or navigation).
 * The shell's Content-Security-Policy (no inline styles) also holds inside `srcdoc`, so the page's
 * own `<style>` blocks and `style` attributes would be refused; they are taken out of the page
 * (parsed inertly) and applied through the CSSOM instead (constructed style sheets and
 * `element.style`), which the policy allows. That needs `allow-same-origin`; without
 * `allow-scripts` nothing in the page can use it.
 */
export class KwLayoutPreview extends LitElement {
  static override properties = { html: { type: String }, scale: { type: Number } };
  static override styles = css`
    :host { display: block; }
    .sheet { overflow: hidden; border: 1px solid var(--kw-border); background: #fff; box-shadow: 0 2px 10px rgb(0 0 0 / 0.15); }
    iframe { border: 0; transform-origin: 0 0; background: #fff; display: block; }
  `;
  declare html: string;
  declare scale: number;
  /** The style sheets taken out of the page being shown. */
  private css: string[] = [];

  constructor() {
    super();
    this.html = '';
    this.scale = 0.55;
  }

  override render() {
    const { width, height } = A4_PX;
    return html`<div class="sheet" part="sheet">
      <iframe
        sandbox="allow-same-origin"
        title="Preview of the layout with sample data"
        width=${width}
        height=${height}
        .srcdoc=${this.withoutStyles(this.html)}
        @load=${this.applyStyles}
      ></iframe>
    </div>`;
  }

  protected override updated(): void {
    const { width, height } = A4_PX;
    const sheet = this.renderRoot.querySelector<HTMLElement>('.sheet')!;
    sheet.style.width = `${Math.round(width * this.scale)}px`;
    sheet.style.height = `${Math.round(height * this.scale)}px`;
    this.renderRoot.querySelector<HTMLElement>('iframe')!.style.transform = `scale(${this.scale})`;
  }

  /** The page without its styles (kept in `css`; `style` attributes moved to `data-kw-style`). */
  private withoutStyles(page: string): string {
    // Style elements are cut out before parsing: even an inert parse reports them to the CSP.
    this.css = [];
    const rest = page.replace(STYLE_ELEMENT, (_, text: string) => (this.css.push(text), ''));
    const doc = new DOMParser().parseFromString(rest, 'text/html');
    for (const el of doc.querySelectorAll('[style]')) {
      el.setAttribute('data-kw-style', el.getAttribute('style')!);
      el.removeAttribute('style');
    }
    return '<!doctype html>\n' + doc.documentElement.outerHTML;
  }

  private applyStyles = (e: Event) => {
    const frame = e.target as HTMLIFrameElement;
    const doc = frame.contentDocument;
    const win = frame.contentWindow as (Window & typeof globalThis) | null;
    if (!doc || !win) return;
    doc.adoptedStyleSheets = this.css.map((text) => {
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(text);
      return sheet;
    });
    for (const el of doc.querySelectorAll<HTMLElement>('[data-kw-style]')) el.style.cssText = el.dataset.kwStyle ?? '';
  };
}
