import { header, httpHandler } from '#shared/http.js';
import { adminAssets } from '#pages/admin-assets.js';
import { ADMIN_CSP, pickEventId, renderAdminPage } from '#pages/admin-page.js';
import { renderNotFoundPage } from '#pages/error-pages.js';
import { negotiateLanguage, pickLanguage } from '#pages/layout.js';
import { htmlResponse, pageHeaders } from '#pages/security.js';

/**
 * GET /admin and GET /admin/{asset}: the organizers' dashboard shell and its script and stylesheet.
 * Public and data-free: everything the organizer sees comes from the JWT-protected JSON API.
 * `script` replaces the bundled dashboard script (tests build it from source).
 */
export const makeHandler = ({ script }: { script?: () => string } = {}) => {
  const assets = adminAssets(script);
  return httpHandler(async (event) => {
    const asset = event.pathParameters?.asset;
    const language = pickLanguage(event.queryStringParameters, negotiateLanguage(header(event, 'accept-language')));
    if (asset === undefined) {
      const page = renderAdminPage(language, pickEventId(event.queryStringParameters?.event));
      return htmlResponse(200, page.html, page.csp);
    }
    const found = Object.hasOwn(assets, asset) ? assets[asset]() : undefined;
    if (!found) {
      const page = renderNotFoundPage(language);
      return htmlResponse(404, page.html, page.csp);
    }
    return { statusCode: 200, headers: { ...pageHeaders(ADMIN_CSP), 'content-type': found.contentType }, body: found.body };
  });
};

export const handler = makeHandler();
