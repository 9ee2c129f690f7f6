import { ref } from 'vue';

export type Lang = 'zh' | 'en';

const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('gongjian.lang');

/** The language of the pages: zh-CN first; English by choice (remembered on this device). */
export const lang = ref<Lang>(stored === 'en' ? 'en' : 'zh');

export function setLang(next: Lang): void {
  lang.value = next;
  localStorage.setItem('gongjian.lang', next);
  document.documentElement.lang = next === 'en' ? 'en' : 'zh-CN';
}

/** Text in the current language: `t('项目台账', 'Projects')`. */
export function t(zh: string, en: string): string {
  return lang.value === 'en' ? en : zh;
}

/** A bilingual label (`{ zh, en }`) in the current language; the key itself when unknown. */
export function L(label: { zh: string; en: string } | undefined, fallback = ''): string {
  return label === undefined ? fallback : label[lang.value];
}

/** A number as people write it here: thousands separated, at most `digits` decimals. */
export function num(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString(lang.value === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: digits });
}

/** A percentage of a ratio (0.456 → 45.6%). */
export function pct(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  return `${(ratio * 100).toFixed(1)}%`;
}

/**
 * `{...submitted(fn)}` on an ElForm: Enter and the submit button run `fn` instead of reloading
 * the page. (Element Plus passes the listener through to its <form>; its types do not list it.)
 */
export function submitted(fn: () => unknown): Record<string, unknown> {
  return {
    onSubmit: (e: Event) => {
      e.preventDefault();
      void fn();
    },
  };
}
