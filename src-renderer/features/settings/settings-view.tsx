/** Settings, loaded on demand (its own chunk: the QR code library lives here). */
import { AgentsSettings } from './agents-settings.tsx';
import { AuditSettings } from './audit-settings.tsx';
import { GrantsSettings } from './grants-settings.tsx';
import { LaunchAtLogin } from './launch-at-login.tsx';
import { NotificationsSettings } from './notifications-settings.tsx';
import { SafetySettings } from './safety-settings.tsx';
import { SchedulesSettings } from './schedules-settings.tsx';
import { TelegramSettings } from './telegram-settings.tsx';

/** Every setting, one section each. */
export default function SettingsView() {
  return (
    <div className="view settings">
      <h2 className="view-title">Settings</h2>
      <TelegramSettings />
      <GrantsSettings />
      <SafetySettings />
      <SchedulesSettings />
      <AgentsSettings />
      <NotificationsSettings />
      <LaunchAtLogin />
      <AuditSettings />
    </div>
  );
}
