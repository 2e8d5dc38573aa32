import { LANGUAGES, languageSchema, type Language } from '#domain/model.js';
import { html, raw, type SafeHtml } from './html.js';
import { inviteeText } from '#i18n/invitee/index.js';
import { contentSecurityPolicy, cspHash } from './security.js';
import { CSS } from './styles.js';

const STYLE_HASH = cspHash(CSS);

export interface LayoutOptions {
  language: Language;
  title: string;
  /** Shown in the header bar: the event's name in the page's language. */
  brand: string;
  body: SafeHtml;
  /** Languages offered in the switcher; each link keeps the page's path and swaps `?lang=`. */
  switcher?: readonly Language[];
  /** The switcher's link for a language, when the page's URL carries more than `?lang=`. */
  switcherHref?: (language: Language) => string;
  /** One static inline script, allowed by its hash. */
  script?: string;
  footer?: string;
}

export interface RenderedPage {
  html: string;
  csp: string;
}

/** `?lang=` when it names a summit language, else the fallback. */
export const pickLanguage = (query: Record<string, string | undefined> | undefined, fallback: Language): Language => {
  const parsed = languageSchema.safeParse(query?.lang);
  return parsed.success ? parsed.data : fallback;
};

/**
 * For pages with no invitee to read a language from (an unknown token): the reader's browser
 * preference among the summit languages, else Spanish, the host country's.
 */
export const negotiateLanguage = (acceptLanguage: string | undefined): Language => {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: (tag ?? '').slice(0, 2).toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked.find((r) => (LANGUAGES as readonly string[]).includes(r.lang))?.lang as Language | undefined) ?? 'es';
};

/** Doctype, language and the head every page shares; `styles` is the page's stylesheet element. */
export const documentHead = (language: Language, title: string, styles: SafeHtml): SafeHtml => html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
${styles}
</head>`;

/** What a language switcher says: its landmark's label, and each language's own name. */
export interface SwitcherText {
  label: string;
  name: (language: Language) => string;
}

/** Links to the page in each language, the current one marked; `hrefFor` keeps whatever else the URL needs. */
export const languageSwitcher = (
  language: Language,
  languages: readonly Language[],
  hrefFor: (l: Language) => string,
  text: SwitcherText = { label: inviteeText(language)('languageNav'), name: (l) => inviteeText(l)('languageName') },
): SafeHtml =>
  html`<nav class="lang" aria-label="${text.label}"><ul>${languages.map(
    (l) => html`<li><a href="${hrefFor(l)}" lang="${l}" hreflang="${l}"${l === language ? raw(' aria-current="true"') : ''}>${text.name(l)}</a></li>`,
  )}</ul></nav>`;

/** The page frame every server-rendered page shares: landmarks, language switcher, CSP. */
export const renderLayout = ({ language, title, brand, body, switcher, switcherHref = (l) => `?lang=${l}`, script, footer }: LayoutOptions): RenderedPage => {
  const t = inviteeText(language);
  const nav = switcher && switcher.length > 1 ? languageSwitcher(language, switcher, switcherHref) : '';
  const page = html`${documentHead(language, title, html`<style>${raw(CSS)}</style>`)}
<body>
<a class="skip" href="#main">${t('skipToContent')}</a>
<header class="site"><p class="brand">${brand}</p>${nav}</header>
<main id="main" tabindex="-1">
${body}
</main>
${footer ? html`<footer class="site"><p>${footer}</p></footer>` : ''}
${script ? html`<script>${raw(script)}</script>` : ''}
</body>
</html>
`;
  return {
    html: page.value,
    csp: contentSecurityPolicy({ style: [STYLE_HASH], script: script ? [cspHash(script)] : [] }),
  };
};
