// The inactivity lock: after `seconds` without a key press, click or scroll,
// `onIdle` runs (the app logs out and shows the login screen).

const ACTIVITY = ["keydown", "mousedown", "wheel", "touchstart"] as const;

export function watchIdle(seconds: number, onIdle: () => void): () => void {
  let timer = window.setTimeout(onIdle, seconds * 1000);
  const reset = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(onIdle, seconds * 1000);
  };
  for (const type of ACTIVITY) window.addEventListener(type, reset, { capture: true, passive: true });
  return () => {
    window.clearTimeout(timer);
    for (const type of ACTIVITY) window.removeEventListener(type, reset, { capture: true });
  };
}
