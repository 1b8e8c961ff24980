/**
 * Browser notifications for a Reins tab (the desktop app notifies natively instead): permission
 * state, the request (only ever from a click), and the watcher that shows {@link noticesFor}.
 */
import type { AppStore } from '../../store/index.ts';
import { noticesFor } from './notices.ts';

/** Whether this browser can notify, and what the owner said. */
export type NotificationPermissionState = NotificationPermission | 'unsupported';

/** The permission now. */
export function notificationPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks the browser for permission; must run from a click (browsers ignore it otherwise). */
export async function askNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

/**
 * Shows a notification for every notice the store's changes call for, while permission is granted.
 * A click focuses the tab and opens the notice's session. Returns the unsubscribe function.
 */
export function watchForNotifications(store: AppStore): () => void {
  return store.subscribe((next, previous) => {
    if (notificationPermission() !== 'granted') return;
    for (const notice of noticesFor(previous, next, document.visibilityState === 'visible')) {
      const notification = new Notification(notice.title, { body: notice.body, tag: notice.tag });
      notification.onclick = () => {
        window.focus();
        void store.getState().openSession(notice.sessionId);
        notification.close();
      };
    }
  });
}
