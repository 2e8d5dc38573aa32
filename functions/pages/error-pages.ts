import { LANGUAGES, type Language } from '#domain/model.js';
import { html } from './html.js';
import { renderLayout, type RenderedPage } from './layout.js';
import { inviteeText } from '#i18n/invitee/index.js';

const BRAND = 'Cumbre';

/**
 * The page for an unknown or malformed RSVP link, and for any path the site does not have. It says
 * nothing about why (an unknown and a malformed token must look alike) and offers every language,
 * since the reader's is not known.
 */
export const renderNotFoundPage = (language: Language): RenderedPage => {
  const t = inviteeText(language);
  return renderLayout({
    language,
    title: t('notFound.title'),
    brand: BRAND,
    body: html`<h1>${t('notFound.heading')}</h1><p>${t('notFound.body')}</p>`,
    switcher: LANGUAGES,
  });
};

/** A failure on our side: no detail, only what the reader should do. */
export const renderServerErrorPage = (language: Language): RenderedPage => {
  const t = inviteeText(language);
  return renderLayout({ language, title: t('serverError.title'), brand: BRAND, body: html`<h1>${t('serverError.heading')}</h1><p>${t('serverError.body')}</p>` });
};

/**
 * A link that no longer answers (invitations, organizer edits): the invitation was revoked, or passed
 * on to a deputy who has a link of their own. Said plainly, in the invitee's language, with the
 * other languages one click away.
 */
export const renderClosedLinkPage = (kind: 'revoked' | 'retired', language: Language): RenderedPage => {
  const t = inviteeText(language);
  return renderLayout({
    language,
    title: t(`${kind}.title`),
    brand: BRAND,
    body: html`<h1>${t(`${kind}.heading`)}</h1><p>${t(`${kind}.body`)}</p>`,
    switcher: LANGUAGES,
  });
};
