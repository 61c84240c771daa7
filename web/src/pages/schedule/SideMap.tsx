import { useEffect, useState } from 'preact/hooks';
import { trips } from '../../api/endpoints';
import { t } from '../../i18n';
import { ErrorState, Loading } from '../../components/ui';
import { RouteMap } from '../../components/RouteMap';
import { useAsync } from '../../lib/useAsync';
import { appConfig, type AppConfig } from '../../lib/appConfig';

/** The day's map beside the timeline on wide screens (MapLibre, loaded on demand). `stamp`
 * changes whenever the day's stops do, so an edit redraws the route. */
export function SideMap({ tripId, day, stamp }: { tripId: string; day: number; stamp: string }) {
  const [cfg, setCfg] = useState<AppConfig>();
  useEffect(() => {
    appConfig().then(setCfg);
  }, []);
  const route = useAsync(() => trips.route(tripId, day), [tripId, day, stamp]);
  if (route.error !== undefined) return <ErrorState error={route.error} onRetry={route.reload} />;
  if (!route.data || !cfg) return <Loading />;
  return (
    <div class="side-map">
      <RouteMap data={route.data} tileUrl={cfg.tileUrl} styleUrl={cfg.styleUrl} label={t('map.label')} />
    </div>
  );
}
