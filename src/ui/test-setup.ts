// jsdom lays nothing out and does not implement scrolling; TanStack Virtual's window virtualizer scrolls the
// window when a table mounts, which jsdom otherwise reports as an error on every render.
window.scrollTo = (() => undefined) as typeof window.scrollTo;
