import { escapeHtml } from '#domain/email/templates.js';

/**
 * Markup that is already safe to emit. Only the `html` tag and `raw` make one, so a plain string
 * can never reach a page unescaped: forgetting to escape is a type error, not an injection.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const render = (value: HtmlValue): string => {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
};

/**
 * Tagged template for pages: every interpolated value is escaped for element content and quoted
 * attributes alike, unless it is itself `SafeHtml`. `false`, `null` and `undefined` render nothing,
 * so `${cond && html`…`}` reads naturally.
 */
export const html = (strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));

/** Trusted markup from this codebase (the CSS, a hashed script); never user input. */
export const raw = (value: string) => new SafeHtml(value);

/** `attr` renders a boolean attribute only when true: html`<input ${attr('checked', on)}>`. */
export const attr = (name: string, on: boolean) => new SafeHtml(on ? ` ${name}` : '');
