// The inactivity lock: after `seconds` without a key press, click or scroll,
// `onIdle` runs (the app logs out and shows the login screen). Activity is
// also reported through `onActive`, at most every `reportSeconds`, so the
// shell, which keeps its own lock as a backstop, knows the user is there.

const ACTIVITY = ["keydown", "mousedown", "wheel", "touchstart"] as const;

export function watchIdle(
  seconds: number,
  onIdle: () => void,
  onActive: () => void,
  reportSeconds: number,
): () => void {
  let timer = window.setTimeout(onIdle, seconds * 1000);
  let reported = Date.now();
  const reset = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(onIdle, seconds * 1000);
    if (Date.now() - reported >= reportSeconds * 1000) {
      reported = Date.now();
      onActive();
    }
  };
  for (const type of ACTIVITY) window.addEventListener(type, reset, { capture: true, passive: true });
  return () => {
    window.clearTimeout(timer);
    for (const type of ACTIVITY) window.removeEventListener(type, reset, { capture: true });
  };
}
