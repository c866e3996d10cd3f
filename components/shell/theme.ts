// Light/dark theme: PatternFly's dark theme is a class on <html>; the choice
// is remembered in this browser and applied before first paint (see app/layout).
export type Theme = 'light' | 'dark';
export const THEME_STORAGE_KEY = 'kura.theme';
export const DARK_CLASS = 'pf-v6-theme-dark';

/** Inline script for <head>: applies the remembered (or system) theme before React loads. */
export const themeBootScript = `(function(){try{var t=localStorage.getItem('${THEME_STORAGE_KEY}');if(!t){t=window.matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light'}if(t==='dark'){document.documentElement.classList.add('${DARK_CLASS}')}}catch(e){}})();`;

const listeners = new Set<() => void>();

export function currentTheme(): Theme {
  return typeof document !== 'undefined' && document.documentElement.classList.contains(DARK_CLASS) ? 'dark' : 'light';
}

export function subscribeTheme(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function applyTheme(theme: Theme): void {
  document.documentElement.classList.toggle(DARK_CLASS, theme === 'dark');
  window.localStorage.setItem(THEME_STORAGE_KEY, theme);
  listeners.forEach((l) => l());
}
