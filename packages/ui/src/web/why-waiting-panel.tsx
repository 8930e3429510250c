// "Why is this app waiting?" on an app's page: offers seen and used, and per reason how many offers
// were declined for it with what the app asks for that they lacked. Offer counts change without an
// event, so the panel keeps the queue read while it is shown.
import { useEffect } from 'preact/hooks';
import { formatAge } from '../model/format';
import type { AppSummary, QueueSummary } from '../model/marathon-wire';
import { whyWaiting } from '../model/why-waiting';
import type { LiveStore } from './live-store';
import { useNow } from './use-store';

export function WhyWaitingPanel({ store, app, queued }: { readonly store: LiveStore; readonly app: AppSummary; readonly queued: QueueSummary }) {
  useEffect(() => store.followQueue(), [store]);
  const now = useNow(10_000);
  const view = whyWaiting(app, queued);
  return (
    <section class="why-waiting" aria-labelledby="why-title" id="why-waiting" data-waiting={view.waiting} data-offers-seen={view.offersSeen}>
      <h2 id="why-title">{view.heading}</h2>
      <p>{view.state}</p>
      <p id="why-offers">
        {view.offers}
        {queued.lastUnusedOfferAt && <span class="muted"> Last declined {formatAge(queued.lastUnusedOfferAt, now)}.</span>}
      </p>
      {view.reasons.length > 0 && (
        <table class="reasons">
          <thead><tr><th scope="col">Why offers were declined</th><th scope="col" class="num">Declined for it</th><th scope="col" class="num">Failed this check</th></tr></thead>
          <tbody>
            {view.reasons.map((r) => (
              <tr key={r.reason} data-reason={r.reason}>
                <th scope="row">{r.reading} <span class="muted reason-name">({r.reason})</span></th>
                <td class="num">{r.declined}</td>
                <td class="num">{r.processed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
