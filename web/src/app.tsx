import { LocationProvider, Route, Router } from 'preact-iso';
import { lazyPage } from './lib/lazyPage';
import { Layout, Protected } from './components/Layout';
import { useLang, t } from './i18n';
import { Login } from './pages/Login';
import { Dashboard } from './pages/Dashboard';
import { TripBasic } from './pages/TripBasic';
import { TripDestinations } from './pages/TripDestinations';
import { Generate } from './pages/Generate';
import { Schedule } from './pages/Schedule';
import { TripsList } from './pages/TripsList';
import type { ComponentType } from 'preact';

// Screens that pull in Leaflet or are rarely first are loaded on demand, keeping the first
// screen's bundle small.
const TripMap = lazyPage(() => import('./pages/TripMap').then((m) => m.TripMap));
const Nearby = lazyPage(() => import('./pages/Nearby').then((m) => m.Nearby));
const PlaceDetail = lazyPage(() => import('./pages/PlaceDetail').then((m) => m.PlaceDetail));
const Profile = lazyPage(() => import('./pages/Profile').then((m) => m.Profile));
// Sign-up carries the phone-number metadata (libphonenumber-js, ~20 kB gzip).
const Signup = lazyPage(() => import('./pages/Signup').then((m) => m.Signup));
const SharedTrip = lazyPage(() => import('./pages/SharedTrip').then((m) => m.SharedTrip));

/** Route components subscribe to the language themselves: the router keeps its
 * current page from re-rendering when only the App above it re-renders. */
const withLang = (C: ComponentType) => () => {
  useLang();
  return <C />;
};
const guard = (C: ComponentType) =>
  withLang(() => (
    <Protected>
      <C />
    </Protected>
  ));
const LoginP = withLang(Login);
const SignupP = withLang(Signup);
const NotFoundP = withLang(NotFound);

const DashboardP = guard(Dashboard);
const TripBasicP = guard(TripBasic);
const TripDestinationsP = guard(TripDestinations);
const GenerateP = guard(Generate);
const ScheduleP = guard(Schedule);
const NearbyP = guard(Nearby);
const TripMapP = guard(TripMap);
const PlaceP = guard(PlaceDetail);
const ProfileP = guard(Profile);
const TripsP = guard(TripsList);
const SharedP = withLang(SharedTrip);

function NotFound() {
  return (
    <section class="page">
      <h1 tabIndex={-1}>404</h1>
      <p>{t('app.notFound')}</p>
      <a href="/">{t('app.home')}</a>
    </section>
  );
}

/** Moves focus to the new page's heading so screen readers announce the navigation. */
function focusHeading() {
  requestAnimationFrame(() => {
    const h = document.querySelector<HTMLElement>('main h1');
    if (h && !document.activeElement?.closest('main form')) h.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  });
}

export function App() {
  useLang(); // re-render everything on a language switch (form state survives)
  return (
    <LocationProvider>
      <Layout>
        <Router onRouteChange={focusHeading}>
          <Route path="/login" component={LoginP} />
          <Route path="/signup" component={SignupP} />
          <Route path="/" component={DashboardP} />
          <Route path="/trips/new" component={TripBasicP} />
          <Route path="/trips/:id/basic" component={TripBasicP} />
          <Route path="/trips/:id/destinations" component={TripDestinationsP} />
          <Route path="/trips/:id/generate" component={GenerateP} />
          <Route path="/trips/:id/schedule" component={ScheduleP} />
          <Route path="/trips/:id/map" component={TripMapP} />
          <Route path="/trips" component={TripsP} />
          <Route path="/nearby" component={NearbyP} />
          <Route path="/places/:pid" component={PlaceP} />
          <Route path="/profile" component={ProfileP} />
          <Route path="/shared/:token" component={SharedP} />
          <Route default component={NotFoundP} />
        </Router>
      </Layout>
    </LocationProvider>
  );
}
