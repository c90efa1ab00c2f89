import { useEffect, useMemo } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { nextStop, parseRotation } from '../utils/rotation';

/**
 * Cycles through the pages named by `rotate=` (see parseRotation), within the SPA so cached data and the
 * connection to the server carry over. Returns what was wrong with the option, if anything.
 */
export function useRotation(): string[] {
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const rotateText = params.get('rotate');
  const { stops, problems } = useMemo(() => parseRotation(rotateText), [rotateText]);
  const next = useMemo(() => nextStop(stops, pathname, params), [stops, pathname, params]);

  useEffect(() => {
    if (!next) return undefined;
    const timer = window.setTimeout(() => void navigate(next.url), next.afterMs);
    return () => window.clearTimeout(timer);
  }, [next, navigate]);

  return problems;
}
