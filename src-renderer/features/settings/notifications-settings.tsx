import { useState } from 'react';
import { askNotificationPermission, notificationPermission, type NotificationPermissionState } from '../notifications/browser-notifications.ts';

const WORDS: Record<NotificationPermissionState, string> = {
  granted: 'On: one notification per approval that needs you and per run that ends, while this tab is open.',
  default: 'Off: this browser has not been asked yet.',
  denied: "Blocked in this browser's site settings; allow notifications for this address there.",
  unsupported: 'This browser cannot show notifications.',
};

/** Browser notifications: the permission state and a button to ask (desktop: the app notifies). */
export function NotificationsSettings() {
  const [permission, setPermission] = useState(notificationPermission);
  return (
    <section className="settings-section" aria-labelledby="notifications-heading">
      <h3 id="notifications-heading">Notifications</h3>
      {window.reins ? (
        <p>The desktop app shows system notifications for approvals and finished runs.</p>
      ) : (
        <div className="inline-row">
          <p data-testid="notification-permission">{WORDS[permission]}</p>
          {permission === 'default' ? (
            <button type="button" onClick={() => void askNotificationPermission().then(setPermission)}>
              Ask for permission
            </button>
          ) : null}
        </div>
      )}
    </section>
  );
}
