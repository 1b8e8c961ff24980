import { useState } from 'react';
import { askNotificationPermission, notificationPermission } from './browser-notifications.ts';

const DISMISSED_KEY = 'reins.notifications.banner-dismissed';

/**
 * Offers notifications once, in a browser tab whose permission is still undecided. It never asks by
 * itself: the browser's prompt appears only after "Turn on"; "Not now" hides the offer for good
 * (Settings still has the button).
 */
export function NotificationBanner() {
  const [hidden, setHidden] = useState(
    () => window.reins !== undefined || notificationPermission() !== 'default' || window.localStorage.getItem(DISMISSED_KEY) !== null,
  );
  if (hidden) return null;
  const dismiss = (): void => {
    window.localStorage.setItem(DISMISSED_KEY, '1');
    setHidden(true);
  };
  return (
    <section className="banner" aria-label="Notifications offer">
      <p>Get a notification when an agent needs you or a run ends, while this tab is open.</p>
      <button
        type="button"
        className="primary"
        onClick={() => {
          void askNotificationPermission().finally(dismiss);
        }}
      >
        Turn on notifications
      </button>
      <button type="button" onClick={dismiss}>
        Not now
      </button>
    </section>
  );
}
