const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for an HTML element body or a quoted attribute value. Every value printed on a
 * certificate goes through this: a holder named `<img src=…>` must print literally, never load.
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"'`]/g, (char) => ENTITIES[char] ?? char);
}

/**
 * A template literal tag that escapes every interpolated value unless it is `SafeHtml` (a fragment
 * this module built itself): forgetting to escape a field is then impossible by construction.
 */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

type HtmlValue = string | number | SafeHtml | readonly SafeHtml[] | null | undefined;

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.html;
  if (Array.isArray(value)) return value.map((part: SafeHtml) => part.html).join('');
  return escapeHtml(value as string | number);
}

/** Marks markup we generated ourselves (the QR code SVG) as safe to embed. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
