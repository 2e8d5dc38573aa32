/**
 * The organizers' dashboard, bundled by esbuild into /admin/app.js (lib/constructs/pages.ts) and
 * served under a CSP that allows only this origin. One entry wiring the parts: the session, the
 * capacity bars, the invitations table and its detail, the import and the exports.
 */
import { organizerApi, SessionExpiredError } from './api.js';
import { arrivalsView } from './arrivals.js';
import { capacityView } from './capacity.js';
import { invitationDetail } from './detail.js';
import { invitationEditor } from './invitation-edit.js';
import { byId, setError } from './dom.js';
import { download, exportsView } from './exports.js';
import { importView } from './import.js';
import { invitationsTable, reason } from './invitations.js';
import { EVENT_ID, t } from './messages.js';
import { setUpSession } from './session.js';
import { accreditationView, auditView, peopleView } from './access.js';
import { eventView } from './events.js';
import { rolesFromToken, showForRoles } from './roles.js';
import { communicationsView } from './communications.js';
import { drawEventSwitch } from './event-switch.js';

const REFRESH_MS = 10_000;
const eventId = EVENT_ID;
let timer: ReturnType<typeof setInterval> | undefined;

const appError = (err: unknown) => {
  if (err instanceof SessionExpiredError) return;
  setError(byId('app-error'), t('failed', { message: reason(err) }));
};

const session = setUpSession({
  start: (username) => {
    setError(byId('app-error'), '');
    byId('whoami').textContent = t('signedInAs', { name: username });
    const roles = rolesFromToken(session.token() ?? '', eventId);
    showForRoles(roles);
    // Sessions, categories and the event itself are named from the definition the capacity route
    // carries: it comes first, so no list (the trails' roles included) shows an id it could name.
    void capacity.refresh(true).then(() => {
      void table.reload();
      if (roles.includes('admin') || roles.includes('organizer')) void communications.load();
      if (roles.includes('admin') || roles.includes('security')) {
        void accreditation.load();
        void audit.load();
      }
      if (roles.includes('admin')) void people.load();
    });
    if (roles.includes('admin') || roles.includes('organizer')) void eventEditor.load();
    // Another event this person may open: quietly none when the list cannot be read.
    api.events().then(drawEventSwitch, () => undefined);
    if (timer) clearInterval(timer);
    void arrivals.refresh();
    timer = setInterval(() => {
      void capacity.refresh();
      void arrivals.refresh();
    }, REFRESH_MS);
  },
  stop: () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  },
});
const api = organizerApi(eventId, session);
const capacity = capacityView(api, appError);
const table = invitationsTable(api, appError);
const arrivals = arrivalsView(api, appError);
const detail = invitationDetail(api);
invitationEditor(api, detail, () => void capacity.refresh(true).then(() => table.reload()));
importView(
  api,
  () => {
    void capacity.refresh(true).then(() => table.reload());
  },
  appError,
);
exportsView(api);
const accreditation = accreditationView(api);
const audit = auditView(api, download);
const people = peopleView(api, download);
const eventEditor = eventView(api, () => {
  void capacity.refresh(true).then(() => table.reload());
});
const communications = communicationsView(api);
session.resume();
