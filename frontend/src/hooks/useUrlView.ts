// The view state lives in the query string: read on load and on back/forward, written with
// replaceState so typing in the search box does not flood the history.
import { useCallback, useEffect, useState } from "react";
import { parseView, serializeView, type ViewState } from "../lib/view";

export function useUrlView(): [ViewState, (change: Partial<ViewState>) => void, () => void] {
  const [view, setView] = useState<ViewState>(() => parseView(window.location.search));

  useEffect(() => {
    const onPop = () => setView(parseView(window.location.search));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const write = useCallback((next: ViewState) => {
    const url = `${window.location.pathname}${serializeView(next)}${window.location.hash}`;
    window.history.replaceState(window.history.state, "", url);
  }, []);

  const update = useCallback(
    (change: Partial<ViewState>) =>
      setView((prev) => {
        const next = { ...prev, ...change };
        write(next);
        return next;
      }),
    [write],
  );

  const reset = useCallback(
    () =>
      setView((prev) => {
        const next = { ...parseView(""), sort: prev.sort, groupByTag: prev.groupByTag };
        write(next);
        return next;
      }),
    [write],
  );

  return [view, update, reset];
}
