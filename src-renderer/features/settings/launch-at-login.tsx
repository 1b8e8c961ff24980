import { useEffect, useState } from 'react';

/** The optional part of the desktop bridge this setting uses; older desktop builds lack it. */
interface LaunchAtLoginBridge {
  getLaunchAtLogin(): Promise<boolean>;
  setLaunchAtLogin(enabled: boolean): Promise<void>;
}

/** The bridge's launch-at-login methods, when the desktop app offers them. */
function launchBridge(): LaunchAtLoginBridge | null {
  const bridge = window.reins as Partial<LaunchAtLoginBridge> | undefined;
  return typeof bridge?.getLaunchAtLogin === 'function' && typeof bridge.setLaunchAtLogin === 'function' ? (bridge as LaunchAtLoginBridge) : null;
}

/** "Start Reins when I log in": only in the desktop app, and only when its bridge has the methods. */
export function LaunchAtLogin() {
  const bridge = launchBridge();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void bridge?.getLaunchAtLogin().then(setEnabled, (caught: unknown) => setError(String(caught)));
  }, [bridge]);
  if (!bridge) return null;
  return (
    <section className="settings-section" aria-labelledby="login-heading">
      <h3 id="login-heading">Start at login</h3>
      <label className="choice">
        <input
          type="checkbox"
          checked={enabled === true}
          disabled={enabled === null}
          onChange={(event) => {
            const want = event.target.checked;
            bridge.setLaunchAtLogin(want).then(
              () => setEnabled(want),
              (caught: unknown) => setError(String(caught)),
            );
          }}
        />
        <span>Start Reins when I log in</span>
      </label>
      {error ? (
        <p className="error one-line" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
