import type { Language } from '#domain/model.js';
import { LANGUAGES } from '#domain/model.js';
import { dashboardCatalogues, dashboardText, type DashboardKey } from '#i18n/dashboard/index.js';
import { html, raw } from './html.js';
import { documentHead, languageSwitcher, type RenderedPage } from './layout.js';
import { contentSecurityPolicy } from './security.js';

/**
 * The door page's policy: the dashboard's (own script and stylesheet, this origin's API) plus its
 * service worker and manifest, and blob: images for a photo of a badge. The camera stream plays
 * through `srcObject`, which no fetch directive governs.
 */
export const CHECKIN_CSP = `${contentSecurityPolicy({ style: ["'self'"], script: ["'self'"], connect: ["'self'"] }).replace("img-src 'self' data:", "img-src 'self' data: blob:")}; worker-src 'self'; manifest-src 'self'`;

/** The page may use the camera (its own origin only); everything else stays off as on every page. */
export const CHECKIN_PERMISSIONS = 'camera=(self), microphone=(), geolocation=(), payment=()';

const jsonIsland = (value: unknown) => raw(JSON.stringify(value).replace(/</g, '\\u003c'));

/** Only the door's keys travel to the door page (the catalogue's `checkin.` block, and a few shared ones). */
const SHARED_KEYS = ['username', 'password', 'mfaCode', 'signIn', 'signOut', 'invalidCredentials', 'error.signInThrottled', 'error.server', 'languageNav', 'languageName'] as const;
export const checkinMessages = (language: Language): Partial<Record<DashboardKey, string>> =>
  Object.fromEntries(Object.entries(dashboardCatalogues[language]).filter(([k]) => k.startsWith('checkin.') || (SHARED_KEYS as readonly string[]).includes(k)));

/**
 * `/checkin`: the door staff's page on a phone or a laptop with a camera. A static shell (no data
 * until sign-in); its script keeps the event's door package in IndexedDB and a service worker keeps
 * the shell, so after one load with the network it starts and scans without any.
 */
export const renderCheckinPage = (language: Language, eventId: string): RenderedPage => {
  const t = (key: DashboardKey, values?: Record<string, string | number>) => dashboardText(language)(key, values);
  const switcherText = { label: t('languageNav'), name: (l: Language) => dashboardText(l)('languageName') };
  const page = html`${documentHead(
    language,
    t('checkin.title'),
    html`<link rel="stylesheet" href="/checkin/app.css">
<link rel="manifest" href="/checkin/manifest.webmanifest">
<link rel="icon" href="/checkin/icon.svg" type="image/svg+xml">
<meta name="theme-color" content="#1a3787">`,
  )}
<body>
<header class="site"><p class="brand">Cumbre · ${t('checkin.title')}</p>${languageSwitcher(language, LANGUAGES, (l) => `?lang=${l}&event=${eventId}`, switcherText)}</header>
<main id="main" tabindex="-1" data-event="${eventId}" data-lang="${language}">
<p id="status-line" class="status-line" aria-live="polite"><span id="net-state"></span> · <span id="queue-state"></span> · <span id="sync-state"></span></p>
<noscript><p class="error-message">${t('checkin.needsScript')}</p></noscript>

<section id="signin" class="card" aria-labelledby="signin-title" hidden>
<h1 id="signin-title">${t('checkin.signInHeading')}</h1>
<form id="signin-form" novalidate>
<p id="signin-error" class="error-message" role="alert" hidden></p>
<label for="username">${t('username')}</label>
<input type="text" id="username" name="username" autocomplete="username" required>
<label for="password">${t('password')}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div id="signin-mfa" hidden><label for="mfa-code">${t('mfaCode')}</label><input type="text" id="mfa-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}"></div>
<p><button type="submit" id="signin-submit" disabled>${t('signIn')}</button></p>
</form>
</section>

<section id="door" aria-labelledby="door-title" hidden>
<h1 id="door-title"><span id="event-name"></span></h1>
<div class="card setup">
<label for="session">${t('checkin.session')}</label>
<select id="session"></select>
<label for="door-name">${t('checkin.door')}</label>
<input type="text" id="door-name" maxlength="60" autocomplete="off">
</div>
<div id="verdict" class="verdict idle" role="status" aria-live="assertive" aria-atomic="true">
<p class="verdict-title" id="verdict-title">${t('checkin.ready')}</p>
<p class="verdict-name" id="verdict-name"></p>
<p class="verdict-detail" id="verdict-detail"></p>
</div>
<div class="card scan">
<video id="camera" playsinline muted hidden></video>
<p><button type="button" id="camera-start">${t('checkin.startCamera')}</button> <button type="button" id="camera-stop" class="secondary" hidden>${t('checkin.stopCamera')}</button></p>
<label for="photo">${t('checkin.photo')}</label>
<input type="file" id="photo" accept="image/*" capture="environment">
<p class="hint" id="decoder-state"></p>
</div>
<p><button type="button" id="sync" class="secondary">${t('checkin.syncNow')}</button> <button type="button" id="signout" class="secondary">${t('signOut')}</button></p>
<h2>${t('checkin.recent')}</h2>
<ol id="recent" class="recent"></ol>
</section>
</main>
<script type="application/json" id="checkin-messages">${jsonIsland(checkinMessages(language))}</script>
<script src="/checkin/app.js"></script>
</body>
</html>
`;
  return { html: page.value, csp: CHECKIN_CSP };
};
