import type { CommunicationsService } from '#domain/communications/service.js';
import { renderNotFoundPage } from '#pages/error-pages.js';
import { negotiateLanguage } from '#pages/layout.js';
import { htmlResponse } from '#pages/security.js';
import { renderUnsubscribePage } from '#pages/unsubscribe-page.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { communicationsFor } from '#shared/communications.js';
import { loadConfig, publicUrlConfig, secretConfig, tableConfig } from '#shared/config.js';
import { header, httpHandler } from '#shared/http.js';

const config = loadConfig(tableConfig, secretConfig, publicUrlConfig);
const keys = await loadAppKeys(config.SECRET_ARN);

/**
 * `GET /unsubscribe/{token}` asks; `POST` (the page's button, or a mail client's RFC 8058
 * one-click `List-Unsubscribe=One-Click`) opts the invitee out of reminders and group messages,
 * once: a replay answers the same and writes nothing; a forged token gets the not-found page.
 */
export const makeHandler = ({ communications, unsubscribeKey }: { communications: CommunicationsService; unsubscribeKey: string }) =>
  httpHandler(async (event) => {
    // An unknown and a malformed token look alike: the path value is only ever compared to an HMAC.
    const token = event.pathParameters?.token ?? '';
    const notFound = () => {
      const page = renderNotFoundPage(negotiateLanguage(header(event, 'accept-language')));
      return htmlResponse(404, page.html, page.csp);
    };
    if (event.requestContext.http.method === 'POST') {
      const result = await communications.optOut(token, unsubscribeKey);
      if (!result?.invitation || !result.event) return notFound();
      const page = renderUnsubscribePage(result.invitation.language, result.event.definition.name, 'done');
      return htmlResponse(200, page.html, page.csp);
    }
    const target = await communications.unsubscribeTarget(token, unsubscribeKey);
    if (!target) return notFound();
    const page = renderUnsubscribePage(target.invitation.language, target.event.definition.name, 'ask');
    return htmlResponse(200, page.html, page.csp);
  });

export const handler = makeHandler({ communications: communicationsFor(config), unsubscribeKey: keys.unsubscribe });
