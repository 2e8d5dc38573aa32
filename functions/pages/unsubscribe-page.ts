import type { Language, Localized } from '#domain/model.js';
import { inviteeText } from '#i18n/invitee/index.js';
import { html } from './html.js';
import { renderLayout, type RenderedPage } from './layout.js';

/**
 * The unsubscribe link's page. Opening it changes nothing (link scanners open links): its button
 * posts back, as a mail client's one-click POST does (RFC 8058), and that POST opts out.
 */
export const renderUnsubscribePage = (language: Language, event: Localized, state: 'ask' | 'done'): RenderedPage => {
  const t = inviteeText(language);
  const name = event[language];
  const body =
    state === 'ask'
      ? html`<h1>${t('unsubscribe.heading')}</h1>
<p>${t('unsubscribe.body', { event: name })}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${t('unsubscribe.action')}</button></form>`
      : html`<h1>${t('unsubscribe.heading')}</h1>
<p role="status">${t('unsubscribe.done', { event: name })}</p>`;
  return renderLayout({ language, title: t('unsubscribe.title'), brand: name, body });
};
