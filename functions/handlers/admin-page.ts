import { header, httpHandler } from '#shared/http.js';
import { adminAssets } from '#pages/admin-assets.js';
import { ADMIN_CSP, pickEventId, renderAdminPage } from '#pages/admin-page.js';
import { checkinAssets, type CheckinScripts } from '#pages/checkin-assets.js';
import { CHECKIN_CSP, CHECKIN_PERMISSIONS, renderCheckinPage } from '#pages/checkin-page.js';
import { renderNotFoundPage } from '#pages/error-pages.js';
import { negotiateLanguage, pickLanguage } from '#pages/layout.js';
import { htmlResponse, pageHeaders } from '#pages/security.js';

/**
 * GET /admin and GET /admin/{asset}: the organizers' dashboard shell and its script and stylesheet;
 * GET /checkin and GET /checkin/{asset}: the door staff's page, its script, service worker and
 * manifest. Public and data-free: everything either shows comes from the JWT-protected JSON API.
 * `script` and `checkin` replace the bundled scripts (tests build them from source).
 */
export const makeHandler = ({ script, checkin }: { script?: () => string; checkin?: CheckinScripts } = {}) => {
  const assets = adminAssets(script);
  const door = checkinAssets(checkin);
  return httpHandler(async (event) => {
    const asset = event.pathParameters?.asset;
    const language = pickLanguage(event.queryStringParameters, negotiateLanguage(header(event, 'accept-language')));
    const atDoor = event.routeKey.startsWith('GET /checkin');
    if (asset === undefined) {
      const page = atDoor
        ? renderCheckinPage(language, pickEventId(event.queryStringParameters?.event))
        : renderAdminPage(language, pickEventId(event.queryStringParameters?.event));
      const result = htmlResponse(200, page.html, page.csp);
      if (atDoor) result.headers = { ...result.headers, 'permissions-policy': CHECKIN_PERMISSIONS };
      return result;
    }
    const files = atDoor ? door : assets;
    const found = Object.hasOwn(files, asset) ? files[asset]() : undefined;
    if (!found) {
      const page = renderNotFoundPage(language);
      return htmlResponse(404, page.html, page.csp);
    }
    const headers: Record<string, string> = { ...pageHeaders(atDoor ? CHECKIN_CSP : ADMIN_CSP), 'content-type': found.contentType };
    // The worker controls /checkin itself, one level above its own path.
    if (atDoor && asset === 'sw.js') headers['service-worker-allowed'] = '/checkin';
    if (atDoor) headers['permissions-policy'] = CHECKIN_PERMISSIONS;
    return { statusCode: 200, headers, body: found.body };
  });
};

export const handler = makeHandler();
