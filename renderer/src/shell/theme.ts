/** The colour theme, kept across launches; 'system' follows the system's preference. */
import { useEffect, useState } from 'react';

export type Theme = 'light' | 'dark' | 'system';

export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(
    () => (localStorage.getItem('proofdesk-theme') as Theme | null) ?? 'system',
  );
  useEffect(() => {
    localStorage.setItem('proofdesk-theme', theme);
    const dark = theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [theme]);
  return [theme, setTheme];
}
