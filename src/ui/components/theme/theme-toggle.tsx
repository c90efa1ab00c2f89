import { setThemeChoice, useThemeChoice, type ThemeChoice } from './theme-store';

const CHOICES: Record<ThemeChoice, { label: string; icon: string; next: ThemeChoice }> = {
  system: { label: 'System', icon: '◐', next: 'light' },
  light: { label: 'Light', icon: '☀', next: 'dark' },
  dark: { label: 'Dark', icon: '☾', next: 'system' },
};

/** One button that goes system → light → dark → system; the choice is remembered in this browser. */
export function ThemeToggle() {
  const current = useThemeChoice();
  const { label, icon, next } = CHOICES[current];
  const title = `Theme: ${label}. Switch to ${CHOICES[next].label.toLowerCase()} (t t toggles light and dark).`;
  return (
    <button
      type="button"
      className="header-button theme-button"
      data-theme-choice={current}
      aria-label={`Theme: ${label}`}
      title={title}
      onClick={() => setThemeChoice(next)}
    >
      <span aria-hidden="true">{icon}</span>
    </button>
  );
}
